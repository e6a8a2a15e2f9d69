import type { PolicyStatement } from './member-permissions';
import { ownMemberRoles } from './protected';

/**
 * The StackSet execution roles: service-managed StackSets act through `stacksets-exec-*` roles,
 * self-managed ones through `AWSCloudFormationStackSetExecutionRole`. The default deployers of the
 * member role, and the only principals the guard lets change it.
 */
export const DEFAULT_MEMBER_ROLE_DEPLOYERS: readonly string[] = [
  'arn:*:iam::*:role/stacksets-exec-*',
  'arn:*:iam::*:role/AWSCloudFormationStackSetExecutionRole',
];

/**
 * Every IAM action that writes to a role, per AWS's Service Authorization Reference (the Write,
 * Permissions management and Tagging actions on the `role` resource type; an infra test compares
 * this list with iam-data): trust, policies, boundary, tags, description, session length, deletion,
 * creation under its name, and passing it to a service.
 */
export const ROLE_WRITE_ACTIONS: readonly string[] = [
  'iam:AttachRolePolicy',
  'iam:CreateRole',
  'iam:CreateServiceLinkedRole',
  'iam:DeleteRole',
  'iam:DeleteRolePermissionsBoundary',
  'iam:DeleteRolePolicy',
  'iam:DeleteServiceLinkedRole',
  'iam:DetachRolePolicy',
  'iam:PassRole',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
];

export interface MemberRoleGuardProps {
  memberRoleName: string;
  /** IAM role ARN patterns of the principals that deploy the member role (the StackSet execution roles). */
  memberRoleDeployers: readonly string[];
}

/**
 * The organization guard's statements for lockdown itself: every other statement spares the member
 * role, so whoever could rewrite its trust, policies or boundary, or delete it, would escape the
 * whole guard or lock lockdown out. IAM writes happen only in the caller's own account, so an
 * account wildcard in a pattern names no principal outside it. Only the deployers may write to it; not even the member role
 * itself (lockdown never changes its own role: a leaked session must not either). The deployers'
 * exemption is by name, so roles with their names are frozen the same way: nobody else may create
 * one or take one over. SCPs do not restrict service-linked roles, which create the
 * `stacksets-exec-*` roles.
 */
export function memberRoleGuardStatements({ memberRoleName, memberRoleDeployers }: MemberRoleGuardProps): PolicyStatement[] {
  const deny = (Sid: string, Resource: string[], exempt: string[]): PolicyStatement => ({
    Sid,
    Effect: 'Deny',
    Action: [...ROLE_WRITE_ACTIONS],
    Resource,
    Condition: { ArnNotLike: { 'aws:PrincipalArn': exempt } },
  });
  return [
    // The member role (with any path: its name is unique in the account, so a squatter under a path
    // would keep the StackSet from creating it) is the deployers' alone.
    // A service's own member role (identity-center-lockdown's) likewise.
    deny(
      'OnlyDeployersChangeLockdownsRole',
      [memberRoleName, ...ownMemberRoles(memberRoleName).map((r) => r.roleName)].flatMap((name) => [
        `arn:*:iam::*:role/${name}`,
        `arn:*:iam::*:role/*/${name}`,
      ]),
      [...memberRoleDeployers],
    ),
    // The deployers' roles are theirs too, and lockdown's: a stolen session of one is contained with a
    // deny on the role (its member policy allows no other change to it).
    deny('OnlyDeployersChangeDeployers', [...memberRoleDeployers], [...memberRoleDeployers, `arn:*:iam::*:role/${memberRoleName}`]),
  ];
}
