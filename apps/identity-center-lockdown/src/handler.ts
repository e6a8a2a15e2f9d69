import { ServiceClients, ServiceHandler, serviceWiring } from '@lockdown/aws';
import { service } from './settings';
import { identityCenterLockdown } from './use-case';

/** Wires identity-center-lockdown once per container; clients may be injected (tests, the local drill). */
export function createIdentityCenterLockdownHandler(env: NodeJS.ProcessEnv = process.env, clients: ServiceClients = {}): ServiceHandler {
  const { members, ledger, handler } = serviceWiring(service, env, clients);
  return handler(
    identityCenterLockdown({
      // The SDK client(s) of the entity's service, signed as the member role of the message's account.
      clientConfigFor: ({ entity, requestId }) =>
        members.clientConfig({ ...entity, region: 'region' in entity ? entity.region : '', requestId }),
      ledger,
    }),
  );
}
