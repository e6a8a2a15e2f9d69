import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { MAX_DELAY_SECONDS, ServiceClients, flagSetting, serviceWiring } from '@lockdown/aws';
import { optionApis } from './adapters/option-apis';
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
          options: optionApis(own, () => members.clientConfig(target), (entity as { instanceId: string }).instanceId),
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
