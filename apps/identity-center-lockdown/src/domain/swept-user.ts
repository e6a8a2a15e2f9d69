import type { SweptIdentity } from '@lockdown/sweep';
import type { ObservedIdentityCenterUser } from './observed';

/**
 * Whom the persistence sweep reads: the user's SSO sessions in every account it reached and every
 * permission set it held there, as its containment recorded them before removing its assignments
 * (what the attacker changed since cannot hide an account from the sweep).
 */
export function sweptUserOf(recorded: ObservedIdentityCenterUser): SweptIdentity {
  return {
    kind: 'identity-center-user',
    accountIds: [...new Set(recorded.assignments.map((a) => a.accountId))].sort(),
    userName: recorded.userName,
    permissionSetNames: [
      ...new Set(recorded.assignments.map((a) => recorded.permissionSets[a.permissionSetArn]?.name ?? []).flat()),
    ].sort(),
  };
}
