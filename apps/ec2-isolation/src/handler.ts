import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { ServiceClients, ServiceHandler, serviceWiring } from '@lockdown/aws';
import type { ServiceMessage } from '@lockdown/contracts';
import { InstanceApi } from './adapters/instance-api';
import { optionApis } from './adapters/option-apis';
import { service } from './settings';
import { ec2Isolation } from './use-case';

/** Wires ec2-isolation once per container; clients may be injected (tests, the local drill). */
export function createEc2IsolationHandler(env: NodeJS.ProcessEnv = process.env, clients: ServiceClients = {}): ServiceHandler {
  const { members, ledger, ownQueue, own, handler } = serviceWiring(service, env, clients);
  if (!ownQueue)
    throw new Error("ec2-isolation is not configured: QUEUE_URL is not set (this service's own queue, for the phase-2 follow-up)");
  const clientsFor = ({ entity, requestId }: ServiceMessage<'ec2-isolation'>) => {
    const target = { ...entity, requestId };
    return {
      ec2: members.paced(new EC2Client(members.clientConfig(target)), target),
      iam: members.paced(new IAMClient(members.clientConfig(target, 'global')), target),
      options: optionApis(own, () => members.clientConfig(target), entity.instanceId),
    };
  };
  return handler(
    ec2Isolation({ clientsFor, ledger, followUp: ownQueue, ...own }),
    // The persistence sweep: the instance's credentials are sessions of its instance profile's roles.
    async (message) => {
      const { ec2, iam } = clientsFor(message);
      const api = new InstanceApi(ec2, iam, message.entity.instanceId);
      const profile = (await api.describe()).IamInstanceProfile?.Arn;
      return profile ? api.profileRoles(profile) : [];
    },
  );
}
