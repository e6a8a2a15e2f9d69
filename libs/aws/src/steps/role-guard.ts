import { defineStepKind } from '@lockdown/containment';
import { object, string } from 'zod/mini';
import type { RoleInlinePolicies } from '../role-inline-policies';

/**
 * The guard mark on a role that carries lockdown's credential deny (`lockdown:guarded`): the
 * organization guard then freezes the role's policies, so nobody removes the deny. The mark goes
 * with the deny (the role-inline-policy undo), once no other containment's deny remains on the role.
 */
export function roleGuardKind<Ctx, State>(of: { policies: (ctx: Ctx) => RoleInlinePolicies }) {
  return defineStepKind<Ctx, State, { roleName: string; ownPolicyName: string }>({
    kind: 'role-guard',
    params: object({ roleName: string(), ownPolicyName: string() }),
    apply: (ctx, p) => of.policies(ctx).guard(p.roleName),
    // Undone by the deny's undo, which runs after this one (stages undo in reverse) and sees whether another deny remains.
    undo: async () => "the mark is removed with the deny, unless another containment's deny remains on the role",
    // Only lockdown may remove lockdown's tags once the guard is deployed; verify does not re-read it.
    inEffect: () => true,
  });
}
