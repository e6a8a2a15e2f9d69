import { _default, boolean, gte, int, lte, number, object } from 'zod/mini';
import type { ServiceDescriptor } from '@lockdown/aws';
import { PHASE_2_STAGE } from './domain/plan';
import type * as Runtime from './runtime';

const settings = object({
  /** Seconds tracked connections may still live before phase 2 drops them (0: isolate at once; at most SQS's 900 s delay). */
  untrackedWindowSeconds: _default(number().check(int(), gte(0), lte(900)), 60),
  /** Snapshot every attached volume for forensics (kept on release). */
  snapshotVolumes: _default(boolean(), false),
  /** Detach the instance from its Auto Scaling group (so it is not replaced and terminated). */
  detachAutoScaling: _default(boolean(), false),
  /** Deregister the instance from its load balancers' target groups. */
  deregisterTargets: _default(boolean(), false),
});

/** ec2-isolation as the stacks, the CLI, the drill and the bench see it. */
export const descriptor = {
  name: 'ec2-isolation',
  summary: 'isolates EC2 instances (every interface in an empty lockdown group) and denies their instance-profile role',
  // EC2 mutating calls refill at about 5/s per account and region; an isolation makes 2 + 2 per interface.
  concurrency: { batchSize: 5, maximumConcurrency: 2 },
  settings,
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
} satisfies ServiceDescriptor<typeof settings, 'ec2-isolation'>;
