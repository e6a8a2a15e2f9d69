import { runSimulation } from '@cloud-copilot/iam-simulate';
import { associationIdOf } from './ec2';
import { BucketState } from './s3';
import { boundaryForAction, statementsForAction } from './statements-for-action';
import { AccountState, IamPrincipalState } from './state';

/** One authorization AWS makes for a call: an action on one resource, with its condition keys. */
export interface AuthorizationRequest {
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
  /** The resource's own policy (an S3 bucket policy), evaluated with the identity's. */
  resourcePolicy?: unknown;
}

export interface AuthorizationRecord extends AuthorizationRequest {
  principal: string;
  operation: string;
  decision: string;
}

interface Scope {
  account: AccountState;
  region: string;
  buckets: Map<string, BucketState>;
  /** An IAM principal's tags as authorization sees them (IAM's propagation delay), as a resource. */
  iamTags?: (principal: IamPrincipalState) => Map<string, string>;
  /** The organization the account is in (Organizations' resources are named in its management account). */
  organization?: { id: string; managementAccountId: string };
}

type Mapper = (input: any, scope: Scope) => AuthorizationRequest[];

const tagContext = (tags: Map<string, string> | undefined, prefix = 'aws:ResourceTag/') =>
  Object.fromEntries([...(tags ?? new Map<string, string>())].map(([k, v]) => [`${prefix}${k}`, v]));
const requestTags = (tags: Array<{ Key?: string; Value?: string }> = []) => ({
  ...Object.fromEntries(tags.map((t) => [`aws:RequestTag/${t.Key}`, t.Value ?? ''])),
  'aws:TagKeys': tags.map((t) => t.Key ?? ''),
});

// IAM: the resource is the principal's ARN with its path, as IAM authorizes it.
const principalArn = (kind: 'user' | 'role', { account, iamTags }: Scope, name: string) => {
  const found = kind === 'user' ? account.users.get(name) : account.roles.get(name);
  return {
    arn: found?.arn ?? `arn:${account.partition}:iam::${account.id}:${kind}/${name}`,
    tags: found && iamTags ? iamTags(found) : found?.tags,
  };
};
const onUser =
  (action: string, extra: (input: any) => Record<string, string | string[]> = () => ({})): Mapper =>
  (input, scope) => {
    const { arn, tags } = principalArn('user', scope, input.UserName);
    return [{ action, resource: arn, context: { ...tagContext(tags), ...extra(input) } }];
  };
const onRole =
  (action: string, extra: (input: any) => Record<string, string | string[]> = () => ({})): Mapper =>
  (input, scope) => {
    const { arn, tags } = principalArn('role', scope, input.RoleName);
    return [{ action, resource: arn, context: { ...tagContext(tags), ...extra(input) } }];
  };
const policyArn = (input: any) => ({ 'iam:PolicyARN': input.PolicyArn });
const boundaryArn = (input: any) => ({ 'iam:PermissionsBoundary': input.PermissionsBoundary });
const tagKeys = (input: any) => ({ 'aws:TagKeys': input.TagKeys ?? [] });
const anywhere =
  (action: string): Mapper =>
  () => [{ action, resource: '*', context: {} }];

// Lambda: the function ARN without a qualifier.
const functionArn = (nameOrArn: string, { account, region }: Scope) => {
  const name = nameOrArn.startsWith('arn:') ? nameOrArn.split(':')[6]! : nameOrArn.split(':')[0]!;
  return `arn:${account.partition}:lambda:${region}:${account.id}:function:${name}`;
};
/** A function's tags, as `aws:ResourceTag/<key>` (the function resource type supports it). */
const functionTags = (nameOrArn: string, scope: Scope) =>
  tagContext(scope.account.functions.get(`${scope.region}/${functionArn(nameOrArn, scope).split(':')[6]}`)?.tags);
const mappingArn = ({ account, region }: Scope, uuid: string) =>
  `arn:${account.partition}:lambda:${region}:${account.id}:event-source-mapping:${uuid}`;
/** A Lambda resource lockdown tags: an event source mapping (by ARN) or a function; its ARN and its tags. */
const lambdaResource = (arn: string, scope: Scope) => {
  const uuid = /:event-source-mapping:([\w-]+)$/.exec(arn)?.[1];
  return uuid
    ? { resource: mappingArn(scope, uuid), tags: tagContext(scope.account.eventSourceMappings.get(uuid)?.tags) }
    : { resource: functionArn(arn, scope), tags: functionTags(arn, scope) };
};
const onFunction =
  (action: string): Mapper =>
  (input, scope) => [{ action, resource: functionArn(input.FunctionName, scope), context: functionTags(input.FunctionName, scope) }];

// EC2: every resource the call names, each with its own tags.
const ec2 = (scope: Scope) => scope.account.ec2.get(scope.region);
const ec2Arn = ({ account, region }: Scope, type: string, id: string) =>
  type === 'snapshot'
    ? `arn:${account.partition}:ec2:${region}::snapshot/${id}`
    : `arn:${account.partition}:ec2:${region}:${account.id}:${type}/${id}`;
const RESOURCE_TYPES: Array<[string, string]> = [
  ['i-', 'instance'],
  ['sg-', 'security-group'],
  ['eni-', 'network-interface'],
  ['snap-', 'snapshot'],
  ['vol-', 'volume'],
  ['vpc-', 'vpc'],
];
function ec2Resource(scope: Scope, id: string): { arn: string; context: Record<string, string> } {
  const type = RESOURCE_TYPES.find(([prefix]) => id.startsWith(prefix))?.[1] ?? 'instance';
  const region = ec2(scope);
  const tags =
    type === 'instance'
      ? region?.instances.get(id)?.tags
      : type === 'security-group'
        ? region?.securityGroups.get(id)?.tags
        : type === 'snapshot'
          ? region?.snapshots.get(id)?.tags
          : type === 'network-interface'
            ? region?.interfaces.get(id)?.tags
            : undefined;
  return { arn: ec2Arn(scope, type, id), context: { ...tagContext(tags), ...tagContext(tags, 'ec2:ResourceTag/') } };
}
const onEc2 =
  (action: string, ids: (input: any) => string[], extra: (input: any) => Record<string, string | string[]> = () => ({})): Mapper =>
  (input, scope) =>
    ids(input).map((id) => {
      const { arn, context } = ec2Resource(scope, id);
      return { action, resource: arn, context: { ...context, ...extra(input) } };
    });
const onAssociatedInstance =
  (action: string): Mapper =>
  (input, scope) => {
    const instance = [...(ec2(scope)?.instances.values() ?? [])].find((i) => i.profileArn && associationIdOf(i) === input.AssociationId);
    return onEc2(action, () => [instance?.id ?? 'i-unknown'])(input, scope);
  };
/** Tags given at creation are authorized as ec2:CreateTags on the new resource too. */
const createTags = (scope: Scope, type: string, input: any, createAction: string): AuthorizationRequest[] =>
  (input.TagSpecifications ?? []).map((spec: { Tags?: Array<{ Key?: string; Value?: string }> }) => ({
    action: 'ec2:CreateTags',
    resource: ec2Arn(scope, type, `${type}-new`),
    context: { ...requestTags(spec.Tags), 'ec2:CreateAction': createAction },
  }));

const autoScalingGroupArn = ({ account, region }: Scope, name: string) =>
  `arn:${account.partition}:autoscaling:${region}:${account.id}:autoScalingGroup:00000000-0000-0000-0000-000000000000:autoScalingGroupName/${name}`;

/**
 * How AWS authorizes each member-account call lockdown can make: action, resource ARNs (resource
 * types per AWS's Service Authorization Reference, as iam-data lists them) and condition keys.
 */
// S3: the bucket ARN (no account, no region), its owner as s3:ResourceAccount, its policy as a resource policy.
const onBucket =
  (action: string): Mapper =>
  (input, { account, buckets }) => {
    const bucket = buckets.get(input.Bucket);
    return [
      {
        action,
        resource: `arn:${account.partition}:s3:::${input.Bucket}`,
        context: { 's3:ResourceAccount': bucket?.owner ?? account.id },
        ...(bucket?.policy ? { resourcePolicy: JSON.parse(bucket.policy) } : {}),
      },
    ];
  };
const S3_ACTIONS: Record<string, string> = {
  GetBucketLocation: 's3:GetBucketLocation',
  GetBucketPolicy: 's3:GetBucketPolicy',
  PutBucketPolicy: 's3:PutBucketPolicy',
  DeleteBucketPolicy: 's3:DeleteBucketPolicy',
  GetPublicAccessBlock: 's3:GetBucketPublicAccessBlock',
  PutPublicAccessBlock: 's3:PutBucketPublicAccessBlock',
  DeletePublicAccessBlock: 's3:PutBucketPublicAccessBlock',
  GetBucketOwnershipControls: 's3:GetBucketOwnershipControls',
  PutBucketOwnershipControls: 's3:PutBucketOwnershipControls',
  DeleteBucketOwnershipControls: 's3:PutBucketOwnershipControls',
  GetBucketTagging: 's3:GetBucketTagging',
  PutBucketTagging: 's3:PutBucketTagging',
  DeleteBucketTagging: 's3:PutBucketTagging',
};

// What `lockdown preflight` reads, on the resources the Service Authorization Reference names.
const regional =
  (action: string, resource: (input: any) => string): Mapper =>
  (input, { account, region }) => [
    { action, resource: `arn:${account.partition}:${action.split(':')[0]}:${region}:${account.id}:${resource(input)}`, context: {} },
  ];
const inOrganization =
  (action: string, resource: (input: any, orgId: string) => string): Mapper =>
  (input, { account, organization }) => [
    {
      action,
      resource: `arn:${account.partition}:organizations::${organization?.managementAccountId ?? account.id}:${resource(input, organization?.id ?? 'o-none')}`,
      context: {},
    },
  ];
const PREFLIGHT_READS: Record<string, Mapper> = {
  'ssm:GetParameter': regional('ssm:GetParameter', (input) => `parameter${input.Name}`),
  'cloudformation:DescribeStacks': regional(
    'cloudformation:DescribeStacks',
    (input) => `stack/${input.StackName}/00000000-0000-0000-0000-000000000000`,
  ),
  'securityhub:DescribeHub': regional('securityhub:DescribeHub', () => 'hub/default'),
  'guardduty:ListDetectors': anywhere('guardduty:ListDetectors'),
  'guardduty:GetAdministratorAccount': anywhere('guardduty:GetAdministratorAccount'),
  'organizations:DescribeOrganization': anywhere('organizations:DescribeOrganization'),
  'organizations:ListRoots': anywhere('organizations:ListRoots'),
  'organizations:DescribeOrganizationalUnit': inOrganization(
    'organizations:DescribeOrganizationalUnit',
    (input, orgId) => `ou/${orgId}/${input.OrganizationalUnitId}`,
  ),
  'organizations:DescribeAccount': inOrganization('organizations:DescribeAccount', (input, orgId) => `account/${orgId}/${input.AccountId}`),
  'organizations:ListAWSServiceAccessForOrganization': anywhere('organizations:ListAWSServiceAccessForOrganization'),
  'organizations:ListDelegatedAdministrators': anywhere('organizations:ListDelegatedAdministrators'),
};

// IAM Identity Center: every resource type AWS's Service Authorization Reference lists for the action
// (instance, permission set, account; identity store, user, group, membership), each its own request.
const ssoResources = (input: any, types: Array<'instance' | 'permissionSet' | 'account'>, { account }: Scope) =>
  types.map((type) =>
    type === 'instance'
      ? input.InstanceArn
      : type === 'permissionSet'
        ? input.PermissionSetArn
        : `arn:${account.partition}:sso:::account/${input.TargetId ?? input.AccountId}`,
  );
const onSso =
  (action: string, ...types: Array<'instance' | 'permissionSet' | 'account'>): Mapper =>
  (input, scope) =>
    ssoResources(input, types, scope).map((resource) => ({ action, resource, context: {} }));
type StoreResource = 'identitystore' | 'user' | 'group' | 'membership' | 'allMemberships';
const storeResource = (input: any, type: StoreResource, { account }: Scope) => {
  const p = account.partition;
  switch (type) {
    case 'identitystore':
      return `arn:${p}:identitystore::${account.id}:identitystore/${input.IdentityStoreId}`;
    case 'user':
      return `arn:${p}:identitystore:::user/${input.UserId ?? input.MemberId?.UserId ?? '*'}`;
    case 'group':
      return `arn:${p}:identitystore:::group/${input.GroupId ?? '*'}`;
    case 'membership':
      return `arn:${p}:identitystore:::membership/${input.MembershipId ?? '*'}`;
    default:
      return `arn:${p}:identitystore:::membership/*`;
  }
};
const onStore =
  (action: string, ...types: StoreResource[]): Mapper =>
  (input, scope) =>
    types.map((type) => ({ action, resource: storeResource(input, type, scope), context: {} }));

export const AUTHORIZATIONS: Record<string, Mapper> = {
  ...PREFLIGHT_READS,
  'iam:GetUser': onUser('iam:GetUser'),
  'iam:ListAccessKeys': onUser('iam:ListAccessKeys'),
  'iam:ListAttachedUserPolicies': onUser('iam:ListAttachedUserPolicies'),
  'iam:ListUserPolicies': onUser('iam:ListUserPolicies'),
  'iam:GetUserPolicy': onUser('iam:GetUserPolicy'),
  'iam:PutUserPolicy': onUser('iam:PutUserPolicy'),
  'iam:DeleteUserPolicy': onUser('iam:DeleteUserPolicy'),
  'iam:AttachUserPolicy': onUser('iam:AttachUserPolicy', policyArn),
  'iam:DetachUserPolicy': onUser('iam:DetachUserPolicy', policyArn),
  'iam:UpdateAccessKey': onUser('iam:UpdateAccessKey'),
  // New credentials for a user: the organization guard refuses them on a contained one.
  'iam:CreateAccessKey': onUser('iam:CreateAccessKey'),
  'iam:UploadSSHPublicKey': onUser('iam:UploadSSHPublicKey'),
  'iam:CreateServiceSpecificCredential': onUser('iam:CreateServiceSpecificCredential'),
  'iam:UploadSigningCertificate': onUser('iam:UploadSigningCertificate'),
  'iam:ListSSHPublicKeys': onUser('iam:ListSSHPublicKeys'),
  'iam:UpdateSSHPublicKey': onUser('iam:UpdateSSHPublicKey'),
  'iam:ListServiceSpecificCredentials': onUser('iam:ListServiceSpecificCredentials'),
  'iam:UpdateServiceSpecificCredential': onUser('iam:UpdateServiceSpecificCredential'),
  'iam:ListSigningCertificates': onUser('iam:ListSigningCertificates'),
  'iam:GetLoginProfile': onUser('iam:GetLoginProfile'),
  'iam:DeleteLoginProfile': onUser('iam:DeleteLoginProfile'),
  'iam:CreateLoginProfile': onUser('iam:CreateLoginProfile'),
  'iam:UpdateSigningCertificate': onUser('iam:UpdateSigningCertificate'),
  'iam:PutUserPermissionsBoundary': onUser('iam:PutUserPermissionsBoundary', boundaryArn),
  'iam:DeleteUserPermissionsBoundary': onUser('iam:DeleteUserPermissionsBoundary'),
  'iam:TagUser': onUser('iam:TagUser', (input) => requestTags(input.Tags)),
  'iam:UntagUser': onUser('iam:UntagUser', tagKeys),
  'iam:GetRole': onRole('iam:GetRole'),
  'iam:GetRolePolicy': onRole('iam:GetRolePolicy'),
  'iam:ListAttachedRolePolicies': onRole('iam:ListAttachedRolePolicies'),
  'iam:ListRolePolicies': onRole('iam:ListRolePolicies'),
  'iam:PutRolePolicy': onRole('iam:PutRolePolicy'),
  'iam:DeleteRolePolicy': onRole('iam:DeleteRolePolicy'),
  'iam:AttachRolePolicy': onRole('iam:AttachRolePolicy', policyArn),
  'iam:DetachRolePolicy': onRole('iam:DetachRolePolicy', policyArn),
  'iam:UpdateAssumeRolePolicy': onRole('iam:UpdateAssumeRolePolicy'),
  'iam:PutRolePermissionsBoundary': onRole('iam:PutRolePermissionsBoundary', boundaryArn),
  'iam:DeleteRolePermissionsBoundary': onRole('iam:DeleteRolePermissionsBoundary'),
  'iam:TagRole': onRole('iam:TagRole', (input) => requestTags(input.Tags)),
  'iam:UntagRole': onRole('iam:UntagRole', tagKeys),
  'iam:GetInstanceProfile': (input, { account }) => [
    {
      action: 'iam:GetInstanceProfile',
      resource:
        account.instanceProfiles.get(input.InstanceProfileName)?.arn ??
        `arn:${account.partition}:iam::${account.id}:instance-profile/${input.InstanceProfileName}`,
      context: {},
    },
  ],
  'lambda:GetFunction': onFunction('lambda:GetFunction'),
  'lambda:GetFunctionConfiguration': onFunction('lambda:GetFunctionConfiguration'),
  'lambda:GetFunctionConcurrency': onFunction('lambda:GetFunctionConcurrency'),
  'lambda:PutFunctionConcurrency': onFunction('lambda:PutFunctionConcurrency'),
  'lambda:DeleteFunctionConcurrency': onFunction('lambda:DeleteFunctionConcurrency'),
  'lambda:DeleteFunction': onFunction('lambda:DeleteFunction'),
  'lambda:ListEventSourceMappings': anywhere('lambda:ListEventSourceMappings'),
  'lambda:ListTags': (input, scope) => {
    const { resource, tags } = lambdaResource(input.Resource, scope);
    return [{ action: 'lambda:ListTags', resource, context: tags }];
  },
  'lambda:TagResource': (input, scope) => {
    const { resource, tags } = lambdaResource(input.Resource, scope);
    const requested = Object.entries(input.Tags ?? {}).map(([Key, Value]) => ({ Key, Value: String(Value) }));
    return [{ action: 'lambda:TagResource', resource, context: { ...tags, ...requestTags(requested) } }];
  },
  'lambda:UntagResource': (input, scope) => {
    const { resource, tags } = lambdaResource(input.Resource, scope);
    return [{ action: 'lambda:UntagResource', resource, context: { ...tags, 'aws:TagKeys': input.TagKeys ?? [] } }];
  },
  'lambda:UpdateEventSourceMapping': (input, scope) => {
    const mapping = scope.account.eventSourceMappings.get(input.UUID);
    const context: Record<string, string> = mapping ? { 'lambda:FunctionArn': mapping.functionArn, ...tagContext(mapping.tags) } : {};
    return [{ action: 'lambda:UpdateEventSourceMapping', resource: mappingArn(scope, input.UUID), context }];
  },
  'ec2:DescribeRegions': anywhere('ec2:DescribeRegions'),
  'ec2:DescribeInstances': anywhere('ec2:DescribeInstances'),
  'ec2:DescribeSecurityGroups': anywhere('ec2:DescribeSecurityGroups'),
  'ec2:DescribeNetworkInterfaces': anywhere('ec2:DescribeNetworkInterfaces'),
  'ec2:DescribeInstanceAttribute': onEc2('ec2:DescribeInstanceAttribute', (input) => [input.InstanceId]),
  'ec2:ModifyInstanceAttribute': onEc2(
    'ec2:ModifyInstanceAttribute',
    (input) => [input.InstanceId],
    (input) => ({
      'ec2:Attribute': Object.keys(input).find((k) => k !== 'InstanceId') ?? '',
    }),
  ),
  'ec2:ModifyNetworkInterfaceAttribute': (input, scope) =>
    onEc2('ec2:ModifyNetworkInterfaceAttribute', (i) => [i.NetworkInterfaceId, ...(i.Groups ?? [])])(input, scope),
  // AWS authorizes AttachNetworkInterface on the instance and on the interface (Service Authorization Reference).
  'ec2:AttachNetworkInterface': onEc2('ec2:AttachNetworkInterface', (input) => [input.InstanceId, input.NetworkInterfaceId]),
  // DetachNetworkInterface names an attachment: authorized on its instance and its interface.
  'ec2:DetachNetworkInterface': (input, scope) => {
    const eni = [...(ec2(scope)?.interfaces.values() ?? [])].find((n) => n.attachment?.attachmentId === input.AttachmentId);
    return onEc2('ec2:DetachNetworkInterface', () => (eni ? [eni.attachment!.instanceId, eni.id] : ['i-unknown']))(input, scope);
  },
  // AWS authorizes the instance-profile actions on the instance (an association names one instance).
  'ec2:AssociateIamInstanceProfile': onEc2('ec2:AssociateIamInstanceProfile', (input) => [input.InstanceId]),
  'ec2:ReplaceIamInstanceProfileAssociation': onAssociatedInstance('ec2:ReplaceIamInstanceProfileAssociation'),
  'ec2:DisassociateIamInstanceProfile': onAssociatedInstance('ec2:DisassociateIamInstanceProfile'),
  'ec2:DescribeIamInstanceProfileAssociations': anywhere('ec2:DescribeIamInstanceProfileAssociations'),
  'ec2:StopInstances': onEc2('ec2:StopInstances', (input) => input.InstanceIds ?? []),
  'ec2:TerminateInstances': onEc2('ec2:TerminateInstances', (input) => input.InstanceIds ?? []),
  'ec2:CreateTags': onEc2(
    'ec2:CreateTags',
    (input) => input.Resources ?? [],
    (input) => requestTags(input.Tags),
  ),
  'ec2:DeleteTags': onEc2(
    'ec2:DeleteTags',
    (input) => input.Resources ?? [],
    (input) => ({ 'aws:TagKeys': (input.Tags ?? []).map((t: { Key: string }) => t.Key) }),
  ),
  'ec2:CreateSecurityGroup': (input, scope) => [
    { action: 'ec2:CreateSecurityGroup', resource: ec2Arn(scope, 'vpc', input.VpcId), context: {} },
    {
      action: 'ec2:CreateSecurityGroup',
      resource: ec2Arn(scope, 'security-group', 'sg-new'),
      context: requestTags(input.TagSpecifications?.[0]?.Tags),
    },
    ...createTags(scope, 'security-group', input, 'CreateSecurityGroup'),
  ],
  'ec2:AuthorizeSecurityGroupIngress': onEc2('ec2:AuthorizeSecurityGroupIngress', (input) => [input.GroupId]),
  'ec2:AuthorizeSecurityGroupEgress': onEc2('ec2:AuthorizeSecurityGroupEgress', (input) => [input.GroupId]),
  'ec2:RevokeSecurityGroupIngress': onEc2('ec2:RevokeSecurityGroupIngress', (input) => [input.GroupId]),
  'ec2:RevokeSecurityGroupEgress': onEc2('ec2:RevokeSecurityGroupEgress', (input) => [input.GroupId]),
  'ec2:CreateSnapshot': (input, scope) => [
    { action: 'ec2:CreateSnapshot', resource: ec2Arn(scope, 'volume', input.VolumeId), context: {} },
    {
      action: 'ec2:CreateSnapshot',
      resource: ec2Arn(scope, 'snapshot', 'snap-new'),
      context: requestTags(input.TagSpecifications?.[0]?.Tags),
    },
    ...createTags(scope, 'snapshot', input, 'CreateSnapshot'),
  ],
  'autoscaling:DescribeAutoScalingInstances': anywhere('autoscaling:DescribeAutoScalingInstances'),
  'autoscaling:DetachInstances': (input, scope) => [
    { action: 'autoscaling:DetachInstances', resource: autoScalingGroupArn(scope, input.AutoScalingGroupName), context: {} },
  ],
  'autoscaling:AttachInstances': (input, scope) => [
    { action: 'autoscaling:AttachInstances', resource: autoScalingGroupArn(scope, input.AutoScalingGroupName), context: {} },
  ],
  'elasticloadbalancing:DescribeTargetGroups': anywhere('elasticloadbalancing:DescribeTargetGroups'),
  'elasticloadbalancing:DescribeTargetHealth': anywhere('elasticloadbalancing:DescribeTargetHealth'),
  'elasticloadbalancing:DeregisterTargets': (input) => [
    { action: 'elasticloadbalancing:DeregisterTargets', resource: input.TargetGroupArn, context: {} },
  ],
  'elasticloadbalancing:RegisterTargets': (input) => [
    { action: 'elasticloadbalancing:RegisterTargets', resource: input.TargetGroupArn, context: {} },
  ],
  // LookupEvents supports no resource-level permissions (Service Authorization Reference): "*".
  'cloudtrail:LookupEvents': anywhere('cloudtrail:LookupEvents'),
  ...Object.fromEntries(Object.entries(S3_ACTIONS).map(([operation, action]) => [`s3:${operation}`, onBucket(action)])),
  'sso:ListInstances': anywhere('sso:ListInstances'),
  'sso:DescribePermissionSet': onSso('sso:DescribePermissionSet', 'instance', 'permissionSet'),
  'sso:GetInlinePolicyForPermissionSet': onSso('sso:GetInlinePolicyForPermissionSet', 'instance', 'permissionSet'),
  'sso:PutInlinePolicyToPermissionSet': onSso('sso:PutInlinePolicyToPermissionSet', 'instance', 'permissionSet'),
  'sso:DeleteInlinePolicyFromPermissionSet': onSso('sso:DeleteInlinePolicyFromPermissionSet', 'instance', 'permissionSet'),
  // Provisioning to every account the permission set is in authorizes on the permission set and instance (no one account named).
  'sso:ProvisionPermissionSet': (input, scope) =>
    onSso('sso:ProvisionPermissionSet', 'instance', 'permissionSet', ...(input.TargetId ? (['account'] as const) : []))(input, scope),
  'sso:DescribePermissionSetProvisioningStatus': onSso('sso:DescribePermissionSetProvisioningStatus', 'instance'),
  'sso:ListAccountAssignmentsForPrincipal': onSso('sso:ListAccountAssignmentsForPrincipal', 'instance'),
  'sso:ListAccountAssignments': onSso('sso:ListAccountAssignments', 'instance', 'permissionSet', 'account'),
  'sso:CreateAccountAssignment': onSso('sso:CreateAccountAssignment', 'instance', 'permissionSet', 'account'),
  'sso:DeleteAccountAssignment': onSso('sso:DeleteAccountAssignment', 'instance', 'permissionSet', 'account'),
  'sso:DescribeAccountAssignmentCreationStatus': onSso('sso:DescribeAccountAssignmentCreationStatus', 'instance'),
  'sso:DescribeAccountAssignmentDeletionStatus': onSso('sso:DescribeAccountAssignmentDeletionStatus', 'instance'),
  'identitystore:DescribeUser': onStore('identitystore:DescribeUser', 'identitystore', 'user'),
  'identitystore:ListGroupMembershipsForMember': onStore(
    'identitystore:ListGroupMembershipsForMember',
    'allMemberships',
    'identitystore',
    'user',
  ),
  'identitystore:GetGroupMembershipId': onStore('identitystore:GetGroupMembershipId', 'group', 'membership', 'identitystore', 'user'),
  'identitystore:CreateGroupMembership': onStore('identitystore:CreateGroupMembership', 'group', 'identitystore', 'user'),
  'identitystore:DeleteGroupMembership': onStore('identitystore:DeleteGroupMembership', 'group', 'membership', 'identitystore', 'user'),
};

export interface IdentityPolicy {
  name: string;
  policy: unknown;
}

/**
 * The decision IAM makes for a principal's request, from its identity policies, per iam-simulate
 * (AWS's evaluation logic and Service Authorization Reference): `Allowed`, `ExplicitlyDenied`,
 * `ImplicitlyDenied`, or `Invalid: ...` when the request does not fit the action (e.g. a specific
 * resource for an action that supports only "*").
 */
export function decide(
  principal: string,
  accountId: string,
  policies: IdentityPolicy[],
  request: AuthorizationRequest,
  /** Service control policies over the account (besides AWS's FullAWSAccess), e.g. lockdown's organization guard. */
  scps: IdentityPolicy[] = [],
  /** The principal's permissions boundary, if any: nothing outside it is allowed. */
  boundary?: IdentityPolicy[],
): Promise<string> {
  // Only the statements that may apply to the action: the same decision, far less to evaluate (and to key on).
  const [identity, controls, bounds] = [
    statementsForAction(policies, request.action),
    statementsForAction(scps, request.action),
    boundaryForAction(boundary, request.action),
  ];
  // The decision is a pure function of its inputs: the same request is evaluated once.
  const key = JSON.stringify([principal, accountId, identity, request, controls, bounds]);
  let decision = decisions.get(key);
  if (!decision) {
    if (decisions.size > 10_000) decisions.clear();
    decision = simulate(principal, accountId, identity, request, controls, bounds);
    decisions.set(key, decision);
  }
  return decision;
}

const decisions = new Map<string, Promise<string>>();

const FULL_AWS_ACCESS = {
  name: 'FullAWSAccess',
  policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

async function simulate(
  principal: string,
  accountId: string,
  policies: IdentityPolicy[],
  request: AuthorizationRequest,
  scps: IdentityPolicy[],
  boundary: IdentityPolicy[] | undefined,
): Promise<string> {
  const result = await runSimulation(
    {
      identityPolicies: policies,
      ...(boundary ? { permissionBoundaryPolicies: boundary } : {}),
      ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}),
      serviceControlPolicies: scps.length > 0 ? [{ orgIdentifier: 'r-sandbox', policies: [FULL_AWS_ACCESS, ...scps] }] : [],
      resourceControlPolicies: [],
      request: {
        principal,
        action: request.action,
        resource: { resource: request.resource, accountId },
        contextVariables: {
          'aws:PrincipalArn': principal,
          'aws:PrincipalAccount': accountId,
          'aws:SecureTransport': 'true',
          ...request.context,
        },
      },
    } as never,
    {},
  );
  if (result.resultType === 'error') return `Invalid: ${JSON.stringify(result.errors)}`;
  return String(result.overallResult);
}
