import type { IAMClient } from '@aws-sdk/client-iam';
import { Executor, LedgerPort, Outcome } from '@lockdown/containment';
import type { ServiceMessage } from '@lockdown/contracts';
import { Delivery, RoleInlinePolicies, runPlan } from '@lockdown/aws';
import { iamContainmentAdapter } from './adapters/iam-containment';
import { roleApi, userApi } from './adapters/iam-principal-api';
import { sessionContainmentAdapter } from './adapters/session-containment';

type IamMessage = ServiceMessage<'iam-lockdown'>;

export interface IamLockdownDeps {
  /** IAM client signed as the member role of the message's account. */
  iamFor(message: IamMessage): IAMClient;
  ledger: LedgerPort;
  revokeRoleSessions: boolean;
  /** Users: delete the console password (a release cannot restore it). */
  deleteLoginProfile?: boolean;
  now?: () => Date;
}

/** Contains or releases one IAM user, role, or role session. */
export function iamLockdown(deps: IamLockdownDeps) {
  return async (message: IamMessage, delivery?: Delivery): Promise<Outcome> => {
    const entity = message.entity;
    const now = deps.now ?? (() => new Date());
    const iam = deps.iamFor(message);
    if (entity.type === 'iam-role-session')
      return runPlan(
        new Executor(sessionContainmentAdapter(entity), deps.ledger, now),
        { iam, rolePolicies: new RoleInlinePolicies(iam) },
        message,
      );
    // A service-linked role never gets here: the shared scope check refuses it on receipt (as the intake does).
    const api = entity.type === 'iam-user' ? userApi(iam, entity.name) : roleApi(iam, entity.name);
    const adapter = iamContainmentAdapter(entity, {
      requestId: message.requestId,
      revokeSessions: deps.revokeRoleSessions,
      deleteLoginProfile: deps.deleteLoginProfile ?? false,
      now: now().toISOString(),
    });
    return runPlan(new Executor(adapter, deps.ledger, now), api, message, delivery);
  };
}
