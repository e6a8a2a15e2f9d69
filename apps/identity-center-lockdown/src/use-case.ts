import type { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import type { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { Executor, LedgerPort, Outcome } from '@lockdown/containment';
import type { ServiceMessage } from '@lockdown/contracts';
import { runPlan } from '@lockdown/aws';
import { IdentityCenterApi } from './adapters/identity-center-api';
import { identityCenterContainmentAdapter } from './adapters/identity-center-containment';

type IdentityCenterMessage = ServiceMessage<'identity-center-lockdown'>;

export interface IdentityCenterLockdownDeps {
  /** SSO Admin and Identity Store clients in the instance's region, signed as the member role of the Identity Center account. */
  clientsFor(message: IdentityCenterMessage): { sso: SSOAdminClient; identityStore: IdentitystoreClient };
  ledger: LedgerPort;
  keepIdentityCenterSessionDeny: boolean;
  now?: () => Date;
}

/** Contains or releases one IAM Identity Center user. */
export function identityCenterLockdown(deps: IdentityCenterLockdownDeps) {
  return async (message: IdentityCenterMessage): Promise<Outcome> => {
    const { sso, identityStore } = deps.clientsFor(message);
    const adapter = identityCenterContainmentAdapter(message.entity, { keepSessionDenyOnRelease: deps.keepIdentityCenterSessionDeny });
    const ctx = { api: new IdentityCenterApi(sso, identityStore), recalledPermissionSets: new Set<string>() };
    return runPlan(new Executor(adapter, deps.ledger, deps.now), ctx, message);
  };
}
