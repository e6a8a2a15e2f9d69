import type { ServiceDescriptor } from '@lockdown/aws';
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
  // Loaded only by what runs the service: the stacks read this file without the SDK.
  runtime: () => require('./runtime') as typeof Runtime,
} satisfies ServiceDescriptor<typeof service.settings, 'ec2-isolation'>;
