import type { ServiceDescriptor } from '@lockdown/aws';
import { CONTAINMENT_TAG_ONLY, MANAGED_TAG, TAG_PREFIX, allowStatement } from '@lockdown/contracts';
import { service } from './settings';
import { PHASE_2_STAGE } from './domain/plan';
import type * as Runtime from './runtime';

/** ec2-isolation as the stacks, the CLI, the drill and the bench see it. */
export const descriptor = {
  ...service,
  summary: 'isolates EC2 instances (every interface in an empty lockdown group) and denies their instance-profile role',
  // EC2 mutating calls refill at about 5/s per account and region; an isolation makes 2 + 2 per interface.
  concurrency: { batchSize: 1, maximumConcurrency: 3 },
  stages: { [PHASE_2_STAGE]: 'after the untracked window (a delayed SQS message, phase 2)' },
  observe: {
    'ec2-instance': [
      'ec2:DescribeInstances',
      'ec2:DescribeInstanceAttribute',
      'then: iam:GetInstanceProfile',
      'ec2:DescribeSecurityGroups',
    ],
  },
  memberStatements: ({ partition, account }) => {
    const ec2Arn = (resource: string) => `arn:${partition}:ec2:*:${account}:${resource}`;
    const snapshots = `arn:${partition}:ec2:*::snapshot/*`;
    const createGroup = ['ec2:CreateSecurityGroup'];
    // lockdown's own keys only, and only at creation, on its groups and snapshots.
    const lockdownTagsOnly = { 'ForAllValues:StringLike': { 'aws:TagKeys': `${TAG_PREFIX}*` }, Null: { 'aws:TagKeys': 'false' } };
    return [
      // EC2 Describe calls support no resource-level permissions (Service Authorization Reference).
      allowStatement(
        'DescribeEc2',
        ['ec2:DescribeInstances', 'ec2:DescribeInstanceAttribute', 'ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkInterfaces'],
        ['*'],
      ),
      allowStatement(
        'InstancesAndInterfaces',
        ['ec2:ModifyInstanceAttribute', 'ec2:ModifyNetworkInterfaceAttribute'],
        [ec2Arn('instance/*'), ec2Arn('network-interface/*'), ec2Arn('security-group/*')],
      ),
      allowStatement('CreateGroupsInVpcs', createGroup, [ec2Arn('vpc/*')]),
      allowStatement('CreateOnlyManagedGroups', createGroup, [ec2Arn('security-group/*')], {
        StringEquals: { [`aws:RequestTag/${MANAGED_TAG}`]: 'true' },
        ...lockdownTagsOnly,
      }),
      allowStatement(
        'OwnGroupRulesOnly',
        [
          'ec2:AuthorizeSecurityGroupIngress',
          'ec2:AuthorizeSecurityGroupEgress',
          'ec2:RevokeSecurityGroupIngress',
          'ec2:RevokeSecurityGroupEgress',
        ],
        [ec2Arn('security-group/*')],
        { StringEquals: { [`aws:ResourceTag/${MANAGED_TAG}`]: 'true' } },
      ),
      allowStatement(
        'TagContainedInstances',
        ['ec2:CreateTags', 'ec2:DeleteTags'],
        [ec2Arn('instance/*'), ec2Arn('network-interface/*')],
        CONTAINMENT_TAG_ONLY,
      ),
      allowStatement('TagOwnResourcesAtCreation', ['ec2:CreateTags'], [ec2Arn('security-group/*'), snapshots], {
        StringEquals: { 'ec2:CreateAction': ['CreateSecurityGroup', 'CreateSnapshot'] },
        ...lockdownTagsOnly,
      }),
      allowStatement('ForensicSnapshots', ['ec2:CreateSnapshot'], [ec2Arn('volume/*'), snapshots]),
      // Neither supports resource-level permissions (Service Authorization Reference).
      allowStatement('AutoScalingMembership', ['autoscaling:DescribeAutoScalingInstances'], ['*']),
      allowStatement(
        'KeepEvidenceOutOfAutoScaling',
        ['autoscaling:DetachInstances', 'autoscaling:AttachInstances'],
        [`arn:${partition}:autoscaling:*:${account}:autoScalingGroup:*:autoScalingGroupName/*`],
      ),
      allowStatement(
        'TargetGroupMembership',
        ['elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetHealth'],
        ['*'],
      ),
      allowStatement(
        'TakeOutOfLoadBalancers',
        ['elasticloadbalancing:DeregisterTargets', 'elasticloadbalancing:RegisterTargets'],
        [`arn:${partition}:elasticloadbalancing:*:${account}:targetgroup/*/*`],
      ),
    ];
  },
  // Loaded only by what runs the service: the stacks read this file without the SDK.
  runtime: () => require('./runtime') as typeof Runtime,
} satisfies ServiceDescriptor<typeof service.settings, 'ec2-isolation'>;
