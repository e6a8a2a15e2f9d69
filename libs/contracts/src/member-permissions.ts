import { LOCKDOWN_FUNCTIONS, lockdownFunctionName } from './protected';
import { CONTAINMENT_TAG, GUARD_TAG, MANAGED_TAG, TAG_PREFIX } from './tags';

/**
 * Every call the services make in a member account, by purpose. The member role allows exactly
 * these (infra tests compare this list with the commands in the services' code), and the sandbox
 * authorizes every call against the policy below with AWS's authorization data (iam-simulate).
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
  // Configuration and concurrency only: GetFunction would also return a link to download the code.
  lambda: [
    'lambda:GetFunctionConfiguration',
    'lambda:GetFunctionConcurrency',
    'lambda:PutFunctionConcurrency',
    'lambda:DeleteFunctionConcurrency',
    'lambda:UpdateEventSourceMapping',
  ],
  lambdaTags: ['lambda:ListTags', 'lambda:TagResource', 'lambda:UntagResource'],
  /** Supports no resource-level permissions (Service Authorization Reference): Resource must be "*". */
  lambdaList: ['lambda:ListEventSourceMappings'],
  ec2Read: ['ec2:DescribeInstances', 'ec2:DescribeInstanceAttribute', 'ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkInterfaces'],
  ec2Instance: ['ec2:ModifyInstanceAttribute', 'ec2:ModifyNetworkInterfaceAttribute'],
  ec2Tags: ['ec2:CreateTags', 'ec2:DeleteTags'],
  ec2CreateGroup: ['ec2:CreateSecurityGroup'],
  ec2GroupRules: [
    'ec2:AuthorizeSecurityGroupIngress',
    'ec2:AuthorizeSecurityGroupEgress',
    'ec2:RevokeSecurityGroupIngress',
    'ec2:RevokeSecurityGroupEgress',
  ],
  ec2Snapshot: ['ec2:CreateSnapshot'],
  autoScalingRead: ['autoscaling:DescribeAutoScalingInstances'],
  autoScaling: ['autoscaling:DetachInstances', 'autoscaling:AttachInstances'],
  loadBalancingRead: ['elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetHealth'],
  loadBalancing: ['elasticloadbalancing:DeregisterTargets', 'elasticloadbalancing:RegisterTargets'],
  /** The persistence sweep reads event history; LookupEvents supports no resource-level permissions (Resource "*"). */
  cloudTrailRead: ['cloudtrail:LookupEvents'],
} as const;

/** Every member action (a function, so bundles that do not call it do not carry it). */
export const allMemberActions = (): string[] => Object.values(MEMBER_ACTIONS).flat();

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
 * The member role's permissions: exactly the calls above, scoped to the account and the resource
 * types AWS supports for each action. The CDK stack synthesizes this document (an infra test
 * compares the template with it) and the sandbox evaluates every call against it.
 */
export function memberRolePolicy(
  { partition: p, account, memberRoleName, securityAccountId }: MemberRolePolicyProps,
  /** The services' own statements (their descriptors'), placed before lockdown's deny of itself. */
  own: (context: { partition: string; account: string }) => PolicyStatement[] = () => [],
): PolicyDocument {
  const iamArn = (resource: string) => `arn:${p}:iam::${account}:${resource}`;
  const ec2Arn = (resource: string) => `arn:${p}:ec2:*:${account}:${resource}`;
  const managed = { StringEquals: { [`aws:ResourceTag/${MANAGED_TAG}`]: 'true' } };
  // Tag keys: the containment tag only on entities; lockdown's own keys only, and only at creation, on its groups and snapshots.
  const containmentTagOnly = { 'ForAllValues:StringEquals': { 'aws:TagKeys': CONTAINMENT_TAG }, Null: { 'aws:TagKeys': 'false' } };
  const principalTagsOnly = {
    'ForAllValues:StringEquals': { 'aws:TagKeys': [CONTAINMENT_TAG, GUARD_TAG] },
    Null: { 'aws:TagKeys': 'false' },
  };
  const lockdownTagsOnly = { 'ForAllValues:StringLike': { 'aws:TagKeys': `${TAG_PREFIX}*` }, Null: { 'aws:TagKeys': 'false' } };
  const allow = (
    Sid: string,
    Action: readonly string[],
    Resource: string[],
    Condition?: PolicyStatement['Condition'],
  ): PolicyStatement => ({
    Sid,
    Effect: 'Allow',
    Action: [...Action],
    Resource,
    ...(Condition ? { Condition } : {}),
  });
  return {
    Version: '2012-10-17',
    Statement: [
      allow('ReadPrincipals', MEMBER_ACTIONS.iamRead, [iamArn('user/*'), iamArn('role/*'), iamArn('instance-profile/*')]),
      allow('InlineDenyPolicies', MEMBER_ACTIONS.iamInline, [iamArn('user/*'), iamArn('role/*')]),
      allow('AttachOnlyAWSDenyAll', MEMBER_ACTIONS.iamDenyAll, [iamArn('user/*'), iamArn('role/*')], {
        ArnEquals: { 'iam:PolicyARN': `arn:${p}:iam::aws:policy/AWSDenyAll` },
      }),
      // Any policy as the boundary: release puts the previous one back, whatever it was (a boundary only restricts).
      allow('DenyAllBoundary', MEMBER_ACTIONS.iamBoundary, [iamArn('user/*'), iamArn('role/*')]),
      allow('DeactivateKeys', [...MEMBER_ACTIONS.iamKeys, ...MEMBER_ACTIONS.iamOtherCredentials], [iamArn('user/*')]),
      allow('LockdownPrincipalTagsOnly', MEMBER_ACTIONS.iamTags, [iamArn('user/*'), iamArn('role/*')], principalTagsOnly),
      allow('Functions', MEMBER_ACTIONS.lambda, [
        `arn:${p}:lambda:*:${account}:function:*`,
        `arn:${p}:lambda:*:${account}:event-source-mapping:*`,
      ]),
      allow('ListMappings', MEMBER_ACTIONS.lambdaList, ['*']),
      allow(
        'ReadFunctionTags',
        ['lambda:ListTags'],
        [`arn:${p}:lambda:*:${account}:function:*`, `arn:${p}:lambda:*:${account}:event-source-mapping:*`],
      ),
      allow(
        'ContainmentTagOnFunctions',
        ['lambda:TagResource', 'lambda:UntagResource'],
        [`arn:${p}:lambda:*:${account}:function:*`, `arn:${p}:lambda:*:${account}:event-source-mapping:*`],
        containmentTagOnly,
      ),
      allow('DescribeEc2', MEMBER_ACTIONS.ec2Read, ['*']),
      allow('InstancesAndInterfaces', MEMBER_ACTIONS.ec2Instance, [
        ec2Arn('instance/*'),
        ec2Arn('network-interface/*'),
        ec2Arn('security-group/*'),
      ]),
      allow('CreateGroupsInVpcs', MEMBER_ACTIONS.ec2CreateGroup, [ec2Arn('vpc/*')]),
      allow('CreateOnlyManagedGroups', MEMBER_ACTIONS.ec2CreateGroup, [ec2Arn('security-group/*')], {
        StringEquals: { [`aws:RequestTag/${MANAGED_TAG}`]: 'true' },
        ...lockdownTagsOnly,
      }),
      allow('OwnGroupRulesOnly', MEMBER_ACTIONS.ec2GroupRules, [ec2Arn('security-group/*')], managed),
      allow('TagContainedInstances', MEMBER_ACTIONS.ec2Tags, [ec2Arn('instance/*'), ec2Arn('network-interface/*')], containmentTagOnly),
      allow('TagOwnResourcesAtCreation', ['ec2:CreateTags'], [ec2Arn('security-group/*'), `arn:${p}:ec2:*::snapshot/*`], {
        StringEquals: { 'ec2:CreateAction': ['CreateSecurityGroup', 'CreateSnapshot'] },
        ...lockdownTagsOnly,
      }),
      allow('ForensicSnapshots', MEMBER_ACTIONS.ec2Snapshot, [ec2Arn('volume/*'), `arn:${p}:ec2:*::snapshot/*`]),
      allow('AutoScalingMembership', MEMBER_ACTIONS.autoScalingRead, ['*']),
      allow('KeepEvidenceOutOfAutoScaling', MEMBER_ACTIONS.autoScaling, [
        `arn:${p}:autoscaling:*:${account}:autoScalingGroup:*:autoScalingGroupName/*`,
      ]),
      allow('TargetGroupMembership', MEMBER_ACTIONS.loadBalancingRead, ['*']),
      allow('TakeOutOfLoadBalancers', MEMBER_ACTIONS.loadBalancing, [`arn:${p}:elasticloadbalancing:*:${account}:targetgroup/*/*`]),
      allow('SweepEventHistory', MEMBER_ACTIONS.cloudTrailRead, ['*']),
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
          ...LOCKDOWN_FUNCTIONS.map((fn) => `arn:${p}:iam::${securityAccountId}:role/${lockdownFunctionName(fn)}`),
        ],
      },
    ],
  };
}
