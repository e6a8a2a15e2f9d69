import type { ServiceDescriptor } from '@lockdown/aws';
import { service } from './settings';
import type * as Runtime from './runtime';

/** identity-center-lockdown as the stacks, the CLI, the drill and the bench see it. */
export const descriptor = {
  ...service,
  summary:
    'contains IAM Identity Center users: denies their live sessions in each permission set they reach, removes their account assignments and group memberships',
  // Identity Center's admin APIs are rate-limited per account (a few to tens of calls a second): few users at a time.
  concurrency: { batchSize: 2, maximumConcurrency: 2 },
  observe: {
    'identity-center-user': [
      'sso:ListInstances',
      'then: identitystore:DescribeUser',
      'sso:ListAccountAssignmentsForPrincipal',
      'identitystore:ListGroupMembershipsForMember',
      'then, per permission set: sso:DescribePermissionSet',
      'sso:GetInlinePolicyForPermissionSet',
    ],
  },
  stages: {
    0: "the deny of the user's live sessions, in each permission set's inline policy",
    1: 'then no new session: assignments and group memberships removed',
  },
  // In the Identity Center account (the management account or the delegated administrator), where the
  // member role is deployed as a stack: the Identity Center APIs answer only there.
  memberStatements: ({ partition, account }) => [
    { Sid: 'FindIdentityCenterInstance', Effect: 'Allow', Action: ['sso:ListInstances'], Resource: ['*'] },
    {
      Sid: 'ContainIdentityCenterAssignments',
      Effect: 'Allow',
      Action: [
        'sso:ListAccountAssignmentsForPrincipal',
        'sso:ListAccountAssignments',
        'sso:DescribePermissionSet',
        'sso:GetInlinePolicyForPermissionSet',
        'sso:PutInlinePolicyToPermissionSet',
        'sso:DeleteInlinePolicyFromPermissionSet',
        'sso:ProvisionPermissionSet',
        'sso:DescribePermissionSetProvisioningStatus',
        'sso:DeleteAccountAssignment',
        'sso:DescribeAccountAssignmentDeletionStatus',
        'sso:CreateAccountAssignment',
        'sso:DescribeAccountAssignmentCreationStatus',
      ],
      Resource: [`arn:${partition}:sso:::instance/*`, `arn:${partition}:sso:::permissionSet/*/*`, `arn:${partition}:sso:::account/*`],
    },
    {
      Sid: 'ContainIdentityCenterMemberships',
      Effect: 'Allow',
      Action: [
        'identitystore:DescribeUser',
        'identitystore:ListGroupMembershipsForMember',
        'identitystore:GetGroupMembershipId',
        'identitystore:DeleteGroupMembership',
        'identitystore:CreateGroupMembership',
      ],
      Resource: [
        `arn:${partition}:identitystore::${account}:identitystore/*`,
        `arn:${partition}:identitystore:::user/*`,
        `arn:${partition}:identitystore:::group/*`,
        `arn:${partition}:identitystore:::membership/*`,
      ],
    },
  ],
  runtime: () => require('./runtime') as typeof Runtime,
} satisfies ServiceDescriptor<typeof service.settings, 'identity-center-lockdown'>;
