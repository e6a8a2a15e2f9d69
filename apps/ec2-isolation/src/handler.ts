import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { MAX_DELAY_SECONDS, ServiceClients, flagSetting, serviceWiring } from '@lockdown/aws';
import { ec2Isolation } from './use-case';

function ec2Settings(env: NodeJS.ProcessEnv) {
  const queueUrl = env.QUEUE_URL;
  const window = Number(env.UNTRACKED_WINDOW_SECONDS ?? '60');
  const problems = [
    !queueUrl ? "QUEUE_URL is not set (this service's own queue, for the phase-2 follow-up)" : undefined,
    !Number.isInteger(window) || window < 0 || window > MAX_DELAY_SECONDS
      ? `UNTRACKED_WINDOW_SECONDS must be a whole number from 0 to ${MAX_DELAY_SECONDS}`
      : undefined,
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`ec2-isolation is not configured: ${problems.join('; ')}`);
  const flag = (name: string) => flagSetting('ec2-isolation', env, name);
  return {
    window,
    snapshots: flag('SNAPSHOT_VOLUMES'),
    detachAutoScaling: flag('DETACH_AUTO_SCALING'),
    deregisterTargets: flag('DEREGISTER_TARGETS'),
  };
}

/** Wires ec2-isolation once per container; clients may be injected (tests, the local drill). */
export function createEc2IsolationHandler(env: NodeJS.ProcessEnv = process.env, clients: ServiceClients = {}) {
  const own = ec2Settings(env);
  const { members, ledger, ownQueue, handler } = serviceWiring('ec2-isolation', env, clients);
  return handler(
    ec2Isolation({
      clientsFor: ({ entity, requestId }) => {
        const target = { ...entity, region: 'region' in entity ? entity.region : '', requestId };
        return {
          ec2: new EC2Client(members.clientConfig(target)),
          iam: new IAMClient(members.clientConfig(target, 'global')),
          ...(own.detachAutoScaling ? { autoScaling: new AutoScalingClient(members.clientConfig(target)) } : {}),
          ...(own.deregisterTargets ? { loadBalancing: new ElasticLoadBalancingV2Client(members.clientConfig(target)) } : {}),
        };
      },
      ledger,
      followUp: ownQueue!,
      untrackedWindowSeconds: own.window,
      snapshotVolumes: own.snapshots,
      detachAutoScaling: own.detachAutoScaling,
      deregisterTargets: own.deregisterTargets,
    }),
  );
}
