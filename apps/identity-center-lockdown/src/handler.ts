import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { ServiceClients, ServiceHandler, serviceWiring } from '@lockdown/aws';
import { service } from './settings';
import { identityCenterLockdown } from './use-case';

/** Wires identity-center-lockdown once per container; clients may be injected (tests, the local drill). */
export function createIdentityCenterLockdownHandler(env: NodeJS.ProcessEnv = process.env, clients: ServiceClients = {}): ServiceHandler {
  const { members, ledger, own, handler } = serviceWiring(service, env, clients);
  return handler(
    identityCenterLockdown({
      // The Identity Center account's member role, in the instance's home region (the request's Region attribute).
      clientsFor: ({ entity, requestId }) => {
        const config = members.clientConfig({ ...entity, requestId });
        return { sso: new SSOAdminClient(config), identityStore: new IdentitystoreClient(config) };
      },
      ledger,
      ...own,
    }),
  );
}
