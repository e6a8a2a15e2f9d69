import type { PolicyDocument, PolicyStatement } from './member-permissions';
import { MemberRoleGuardProps, memberRoleGuardStatements } from './member-role-guard';
import { CONTAINMENT_TAG, GUARD_TAG, LOCKDOWN_TAG_KEYS, MANAGED_TAG } from './tags';

export type OrgGuardProps = MemberRoleGuardProps;

/** AWS's size limit for a service control policy, in characters (whitespace counts). */
export const SCP_MAX_CHARACTERS = 5120;

/** The calls that write or remove tags, at creation or after. */
const TAG_WRITING_ACTIONS = [
  'iam:CreateUser',
  'iam:CreateRole',
  'lambda:CreateFunction',
  'lambda:CreateEventSourceMapping',
  'iam:TagUser',
  'iam:UntagUser',
  'iam:TagRole',
  'iam:UntagRole',
  'ec2:CreateTags',
  'ec2:DeleteTags',
  'lambda:TagResource',
  'lambda:UntagResource',
];

/** Every way back AWS offers on a contained entity, and every way to destroy the evidence. */
const FROZEN_ON_CONTAINED = [
  // users and roles: policies, trust, boundary; no new or reactivated credential (it would
  // outlive the release); no rename (a new ARN escapes the ledger) or deletion
  'iam:PutUserPolicy',
  'iam:DeleteUserPolicy',
  'iam:AttachUserPolicy',
  'iam:DetachUserPolicy',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:UpdateAssumeRolePolicy',
  'iam:PutUserPermissionsBoundary',
  'iam:DeleteUserPermissionsBoundary',
  'iam:PutRolePermissionsBoundary',
  'iam:DeleteRolePermissionsBoundary',
  'iam:CreateAccessKey',
  'iam:UpdateAccessKey',
  'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile',
  'iam:UploadSSHPublicKey',
  'iam:UpdateSSHPublicKey',
  'iam:CreateServiceSpecificCredential',
  'iam:UpdateServiceSpecificCredential',
  'iam:ResetServiceSpecificCredential',
  'iam:UploadSigningCertificate',
  'iam:UpdateSigningCertificate',
  'iam:UpdateUser',
  'iam:DeleteUser',
  'iam:DeleteRole',
  // functions stay stopped (their mappings too) with their code and the role carrying the deny
  'lambda:PutFunctionConcurrency',
  'lambda:DeleteFunctionConcurrency',
  'lambda:UpdateFunctionConfiguration',
  'lambda:UpdateFunctionCode',
  'lambda:DeleteFunction',
  'lambda:UpdateEventSourceMapping',
  'lambda:DeleteEventSourceMapping',
  // instances keep their protection, attributes, interfaces and instance profile
  'ec2:ModifyInstanceAttribute',
  'ec2:ModifyNetworkInterfaceAttribute',
  'ec2:AttachNetworkInterface',
  'ec2:DetachNetworkInterface',
  'ec2:AssociateIamInstanceProfile',
  'ec2:ReplaceIamInstanceProfileAssociation',
  'ec2:DisassociateIamInstanceProfile',
  'ec2:TerminateInstances',
  // no console past the network isolation: the serial console, Instance Connect, Session Manager
  'ec2-instance-connect:SendSerialConsoleSSHPublicKey',
  'ec2-instance-connect:SendSSHPublicKey',
  'ssm:StartSession',
];

/** What would change a guarded role's policies, trust or boundary. */
const FROZEN_ON_GUARDED_ROLES = [
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:UpdateAssumeRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:DeleteRolePermissionsBoundary',
];

/** What would change the rules of lockdown's own security groups, or delete them. */
const FROZEN_ON_LOCKDOWN_GROUPS = [
  'ec2:AuthorizeSecurityGroupIngress',
  'ec2:AuthorizeSecurityGroupEgress',
  'ec2:RevokeSecurityGroupIngress',
  'ec2:RevokeSecurityGroupEgress',
  'ec2:ModifySecurityGroupRules',
  'ec2:DeleteSecurityGroup',
];

/**
 * The organization guard: one static service control policy that holds a containment against an
 * attacker who still has credentials or a second principal. No write to Organizations happens at
 * containment time: it keys on the tags lockdown writes. Every statement but the first of the last two spares
 * lockdown's member role (`aws:PrincipalArn`), so lockdown can always contain and release; that one
 * keeps the member role itself for its deployers only. Condition key names are matched case-insensitively, so
 * `aws:ResourceTag/lockdown:containment` also reads an IAM tag written `LOCKDOWN:CONTAINMENT`; tag
 * keys in requests are compared with `StringEqualsIgnoreCase` on lockdown's fixed set.
 */
export function orgGuardPolicy(props: OrgGuardProps): PolicyDocument {
  const { memberRoleName } = props;
  const exceptLockdown = { ArnNotLike: { 'aws:PrincipalArn': `arn:*:iam::*:role/${memberRoleName}` } };
  const deny = (Sid: string, Action: string[], Condition: Record<string, Record<string, string | string[]>>): PolicyStatement => ({
    Sid,
    Effect: 'Deny',
    Action,
    Resource: ['*'],
    Condition: { ...Condition, ...exceptLockdown },
  });
  const tagged = (key: string) => ({ StringLike: { [`aws:ResourceTag/${key}`]: '*' } });
  return {
    Version: '2012-10-17',
    Statement: [
      // A contained user or role can do nothing, whatever policies an attacker attaches or removes.
      deny('ContainedPrincipalsDoNothing', ['*'], { Null: { [`aws:PrincipalTag/${CONTAINMENT_TAG}`]: 'false' } }),
      // Nobody but lockdown writes or removes lockdown's tags, in any casing, also at creation (a new role
      // born `lockdown:guarded` would be frozen for every administrator, a persistence only lockdown could lift).
      deny('OnlyLockdownTagsLockdown', TAG_WRITING_ACTIONS, {
        'ForAnyValue:StringEqualsIgnoreCase': { 'aws:TagKeys': [...LOCKDOWN_TAG_KEYS] },
      }),
      // Every way back AWS offers on a contained entity stays shut, and the evidence stays.
      deny('FreezeContained', FROZEN_ON_CONTAINED, tagged(CONTAINMENT_TAG)),
      // A role that carries lockdown's credential deny for a function or an instance keeps it (and its trust).
      deny('FreezeGuardedRoles', FROZEN_ON_GUARDED_ROLES, tagged(GUARD_TAG)),
      // lockdown's own security groups keep exactly their rules.
      deny('FreezeLockdownGroups', FROZEN_ON_LOCKDOWN_GROUPS, tagged(MANAGED_TAG)),
      ...memberRoleGuardStatements(props),
    ],
  };
}
