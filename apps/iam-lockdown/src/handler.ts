import { IAMClient } from '@aws-sdk/client-iam';
import { apiRegionOf } from '@lockdown/contracts';
import { ServiceClients, ServiceHandler, serviceWiring } from '@lockdown/aws';
import { service } from './settings';
import { iamLockdown } from './use-case';

/** Wires iam-lockdown once per container; clients may be injected (tests, the local drill). */
export function createIamLockdownHandler(env: NodeJS.ProcessEnv = process.env, clients: ServiceClients = {}): ServiceHandler {
  const { members, ledger, own, handler } = serviceWiring(service, env, clients);
  return handler(
    iamLockdown({
      iamFor: ({ entity, requestId }) =>
        members.paced(new IAMClient(members.clientConfig({ ...entity, region: apiRegionOf(entity), requestId }, 'global')), entity),
      ledger,
      ...own,
    }),
  );
}
