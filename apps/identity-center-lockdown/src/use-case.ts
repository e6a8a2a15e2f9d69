import { Executor, LedgerPort, Outcome } from '@lockdown/containment';
import type { ServiceMessage } from '@lockdown/contracts';
import { runPlan } from '@lockdown/aws';
import { containmentAdapter } from './adapters/containment';

export interface IdentityCenterLockdownDeps {
  /** Client settings signed as the member role of the message's account (build the SDK clients from it). */
  clientConfigFor(message: ServiceMessage<'identity-center-lockdown'>): object;
  ledger: LedgerPort;
  now?: () => Date;
}

/** Contains or releases one identity-center-user. */
export function identityCenterLockdown(deps: IdentityCenterLockdownDeps) {
  // The SQS handler passes only the entity types the routing table gives this service.
  return async (message: ServiceMessage<'identity-center-lockdown'>): Promise<Outcome> => {
    const entity = message.entity;
    const adapter = containmentAdapter(entity, { requestId: message.requestId });
    return runPlan(new Executor(adapter, deps.ledger, deps.now), { clientConfig: deps.clientConfigFor(message) }, message);
  };
}
