import { IAMClient } from '@aws-sdk/client-iam';
import { apiRegionOf } from '@lockdown/contracts';
import { ServiceClients, flagSetting, serviceWiring } from '@lockdown/aws';
import { iamLockdown } from './use-case';

/** Wires iam-lockdown once per container; clients may be injected (tests, the local drill). */
export function createIamLockdownHandler(env: NodeJS.ProcessEnv = process.env, clients: ServiceClients = {}) {
  const revokeRoleSessions = flagSetting('iam-lockdown', env, 'REVOKE_ROLE_SESSIONS');
  const deleteLoginProfile = flagSetting('iam-lockdown', env, 'DELETE_LOGIN_PROFILE');
  const { members, ledger, handler } = serviceWiring('iam-lockdown', env, clients);
  return handler(
    iamLockdown({
      iamFor: ({ entity, requestId }) =>
        new IAMClient(members.clientConfig({ ...entity, region: apiRegionOf(entity), requestId }, 'global')),
      ledger,
      revokeRoleSessions,
      deleteLoginProfile,
    }),
  );
}
