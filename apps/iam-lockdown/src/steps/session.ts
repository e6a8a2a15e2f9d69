import { roleGuardKind, roleInlinePolicyKind } from '@lockdown/aws';
import type { SessionContext } from './context';
import type { ObservedSession } from '../domain/session';

/** The deny on the role for one session's aws:userid. */
export const sessionDeny = roleInlinePolicyKind<SessionContext, ObservedSession>({
  policies: (ctx) => ctx.rolePolicies,
  inEffect: (state) => state.denyPolicyPresent,
});

/** The role marked for the organization guard while it carries the session's deny. */
export const sessionRoleGuard = roleGuardKind<SessionContext, ObservedSession>({ policies: (ctx) => ctx.rolePolicies });
