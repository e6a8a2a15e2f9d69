import type { EntityOf } from '@lockdown/contracts';
import { planEc2Isolation } from './domain/plan';

export { createEc2IsolationHandler as createHandler } from './handler';

/** The plan for an example starting state (`lockdown plan`). */
export function examplePlan(entity: EntityOf<'ec2-isolation'>, _now: string) {
  return {
    assumes: 'two interfaces in two VPCs, an instance profile with role "example-role", no termination protection',
    steps: planEc2Isolation(
      {
        instanceId: entity.instanceId,
        arn: entity.arn,
        state: 'running',
        profileArn: `arn:${entity.partition}:iam::${entity.accountId}:instance-profile/example`,
        profileRoles: ['example-role'],
        terminationProtection: false,
        tags: {},
        interfaces: ['vpc-a', 'vpc-b'].map((vpc, i) => ({
          id: `eni-example${i}`,
          vpcId: vpc,
          groups: ['sg-workload'],
          tracking: { TcpEstablishedTimeout: 432000, UdpStreamTimeout: 180, UdpTimeout: 30 },
          deviceIndex: i,
          tags: {},
        })),
        volumes: ['vol-example'],
        lockdownGroups: {},
        impostorGroups: {},
      },
      { requestId: '<request-id>', untrackedWindowSeconds: 60, snapshotVolumes: false, detachAutoScaling: false, deregisterTargets: false },
    ),
  };
}
