import { roleGuard } from '@lockdown/containment';
import type { RoleInlinePolicies } from '../role-inline-policies';

/** What a release does with the guard mark: said once, by the step's undo and by `lockdown plan`. */
export const GUARD_MARK_RELEASE = "iam:UntagRole with the deny's removal, unless another containment's deny remains on the role";

/**
 * The guard mark on a role that carries lockdown's credential deny. The mark goes with the deny
 * (the role-inline-policy undo), once no other containment's deny remains on the role.
 */
export function roleGuardKind<Ctx, State>(of: { policies: (ctx: Ctx) => RoleInlinePolicies }) {
  return roleGuard.implement<Ctx, State>({
    apply: (ctx, p) => of.policies(ctx).guard(p.roleName),
    // Undone by the deny's undo, which runs after this one (stages undo in reverse) and sees whether another deny remains.
    undo: async () => GUARD_MARK_RELEASE,
    // Only lockdown may remove lockdown's tags once the guard is deployed; verify does not re-read it.
    inEffect: () => true,
  });
}
