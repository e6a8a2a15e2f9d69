import { LOCKDOWN_FUNCTIONS, lockdownFunctionName, ownMemberRoles } from './protected';
import { CONTAINMENT_TAG, GUARD_TAG } from './tags';

/**
 * The member-account calls on IAM principals: iam-lockdown's users and roles, and the roles of the
 * functions and instances lambda-lockdown and ec2-isolation contain (the role kinds they share,
 * libs/containment). Common to three services, and every write among them is one lockdown's deny of
 * itself must name, so they stay beside it. Everything else a service calls is its descriptor's
 * (`memberStatements`); the infra tests compare the whole policy with the commands in the code.
 */
export const MEMBER_ACTIONS = {
  iamRead: [
    'iam:GetUser',
    'iam:GetRole',
    'iam:GetRolePolicy',
    'iam:GetUserPolicy',
    'iam:GetInstanceProfile',
    'iam:ListAccessKeys',
    'iam:ListAttachedUserPolicies',
    'iam:ListAttachedRolePolicies',
    'iam:ListUserPolicies',
    'iam:ListRolePolicies',
  ],
  iamInline: ['iam:PutUserPolicy', 'iam:DeleteUserPolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
  iamDenyAll: ['iam:AttachUserPolicy', 'iam:DetachUserPolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
  /**
   * AWSDenyAll as the boundary, and the previous boundary (any policy) back at release: a boundary
   * only ever restricts what its principal's own policies allow, never adds to it.
   */
  iamBoundary: [
    'iam:PutUserPermissionsBoundary',
    'iam:DeleteUserPermissionsBoundary',
    'iam:PutRolePermissionsBoundary',
    'iam:DeleteRolePermissionsBoundary',
  ],
  iamKeys: ['iam:UpdateAccessKey'],
  /** The other doors of a user: SSH public keys (CodeCommit), service-specific credentials, signing certificates. */
  iamOtherCredentials: [
    'iam:ListSSHPublicKeys',
    'iam:UpdateSSHPublicKey',
    'iam:ListServiceSpecificCredentials',
    'iam:UpdateServiceSpecificCredential',
    'iam:ListSigningCertificates',
    'iam:UpdateSigningCertificate',
  ],
  iamTags: ['iam:TagUser', 'iam:UntagUser', 'iam:TagRole', 'iam:UntagRole'],
  /**
   * The persistence sweep reads event history in every region enabled for the account (DescribeRegions);
   * neither supports resource-level permissions (Resource "*").
   */
  sweepRead: ['cloudtrail:LookupEvents', 'ec2:DescribeRegions'],
} as const;

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** An Allow statement (the condition only where there is one). */
export function allowStatement(
  Sid: string,
  Action: readonly string[],
  Resource: string[],
  Condition?: PolicyStatement['Condition'],
): PolicyStatement {
  return { Sid, Effect: 'Allow', Action: [...Action], Resource, ...(Condition ? { Condition } : {}) };
}

/** A tag request may carry the containment tag only (the one key lockdown writes on the entities it contains). */
export const CONTAINMENT_TAG_ONLY: NonNullable<PolicyStatement['Condition']> = {
  'ForAllValues:StringEquals': { 'aws:TagKeys': CONTAINMENT_TAG },
  Null: { 'aws:TagKeys': 'false' },
};

export interface MemberRolePolicyProps {
  /** `aws`, `aws-cn`, `aws-us-gov`, or a CloudFormation token. */
  partition: string;
  /** The member account id, or a CloudFormation token. */
  account: string;
  memberRoleName: string;
  /** The security account: in single-account use its lockdown roles are in this account too. */
  securityAccountId: string;
}

/**
 * The member role's permissions: the statements on IAM principals above, then every service's own
 * (its descriptor's, through the registry's `memberPolicy`), then lockdown's deny of itself. The CDK
 * stack synthesizes this document (an infra test compares the template with it) and the sandbox
 * evaluates every call against it.
 */
export function memberRolePolicy(
  { partition: p, account, memberRoleName, securityAccountId }: MemberRolePolicyProps,
  /** The services' own statements (their descriptors'), placed before lockdown's deny of itself. */
  own: (context: { partition: string; account: string }) => PolicyStatement[] = () => [],
): PolicyDocument {
  const iamArn = (resource: string) => `arn:${p}:iam::${account}:${resource}`;
  const principals = [iamArn('user/*'), iamArn('role/*')];
  // Tag keys on principals: the containment tag, and the guard's mark on a role whose credentials are denied to one of its users.
  const principalTagsOnly = {
    'ForAllValues:StringEquals': { 'aws:TagKeys': [CONTAINMENT_TAG, GUARD_TAG] },
    Null: { 'aws:TagKeys': 'false' },
  };
  return {
    Version: '2012-10-17',
    Statement: [
      allowStatement('ReadPrincipals', MEMBER_ACTIONS.iamRead, [...principals, iamArn('instance-profile/*')]),
      allowStatement('InlineDenyPolicies', MEMBER_ACTIONS.iamInline, principals),
      allowStatement('AttachOnlyAWSDenyAll', MEMBER_ACTIONS.iamDenyAll, principals, {
        ArnEquals: { 'iam:PolicyARN': `arn:${p}:iam::aws:policy/AWSDenyAll` },
      }),
      // Any policy as the boundary: release puts the previous one back, whatever it was (a boundary only restricts).
      allowStatement('DenyAllBoundary', MEMBER_ACTIONS.iamBoundary, principals),
      allowStatement('DeactivateKeys', [...MEMBER_ACTIONS.iamKeys, ...MEMBER_ACTIONS.iamOtherCredentials], [iamArn('user/*')]),
      allowStatement('LockdownPrincipalTagsOnly', MEMBER_ACTIONS.iamTags, principals, principalTagsOnly),
      // Every service's runtime (libs/aws) sweeps what a contained identity did: shared by every service.
      allowStatement('SweepEventHistory', MEMBER_ACTIONS.sweepRead, ['*']),
      ...own({ partition: p, account }),
      // lockdown never changes its own roles, whatever a request says: the member role, and the
      // services' roles by their exact ARNs in the security account (an attacker's lockdown-* is not one).
      {
        Sid: 'NeverTouchLockdown',
        Effect: 'Deny',
        Action: [
          ...MEMBER_ACTIONS.iamInline,
          ...MEMBER_ACTIONS.iamDenyAll,
          ...MEMBER_ACTIONS.iamBoundary,
          ...MEMBER_ACTIONS.iamKeys,
          ...MEMBER_ACTIONS.iamTags,
        ],
        Resource: [
          iamArn(`role/${memberRoleName}`),
          ...ownMemberRoles(memberRoleName).map((r) => iamArn(`role/${r.roleName}`)),
          ...LOCKDOWN_FUNCTIONS.map((fn) => `arn:${p}:iam::${securityAccountId}:role/${lockdownFunctionName(fn)}`),
        ],
      },
    ],
  };
}

/**
 * The policy of a service's own member role (`OWN_MEMBER_ROLE_SUFFIXES`): that service's statements
 * (its descriptor's) and the event-history read every service's sweep makes; nothing on IAM.
 */
export function ownMemberRolePolicy(
  { partition, account }: Pick<MemberRolePolicyProps, 'partition' | 'account'>,
  own: (context: { partition: string; account: string }) => PolicyStatement[],
): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [allowStatement('SweepEventHistory', MEMBER_ACTIONS.sweepRead, ['*']), ...own({ partition, account })],
  };
}
