import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { ServiceClients, ServiceHandler, serviceWiring } from '@lockdown/aws';
import type { ObservedIdentityCenterUser } from './domain/observed';
import { sweptUserOf } from './domain/swept-user';
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
    undefined,
    // The persistence sweep: the user's SSO sessions, in the accounts its containment recorded it reached.
    async ({ entity }) => {
      const record = await ledger.get(entity.arn);
      if (!record) throw new Error(`no recorded containment of ${entity.arn} to sweep`);
      return sweptUserOf(record.original.state as unknown as ObservedIdentityCenterUser);
    },
  );
}
