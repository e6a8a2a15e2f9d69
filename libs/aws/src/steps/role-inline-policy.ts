import { isNotFound, roleInlinePolicy, type StepParams } from '@lockdown/containment';
import type { RoleInlinePolicies } from '../role-inline-policies';

/**
 * lockdown's inline deny on a role that the entity's credentials come from (a function's execution
 * role, an instance profile's role, a session's role), shared by lambda-lockdown, ec2-isolation and
 * iam-lockdown's sessions: each says where its role policies are and how an observation shows the deny.
 */
export function roleInlinePolicyKind<Ctx, State>(of: {
  policies: (ctx: Ctx) => RoleInlinePolicies;
  inEffect: (state: State, params: StepParams<typeof roleInlinePolicy>) => boolean;
}) {
  return roleInlinePolicy.implement<Ctx, State>({
    apply: (ctx, p) => of.policies(ctx).put(p.roleName, p.policyName, p.document),
    // Then the guard mark goes if no other lockdown deny remains: the role-guard step's own undo runs
    // before this one (stages undo in reverse), so two containments of one role released at the same
    // moment would each still see the other's deny there and both keep the mark.
    // A deny someone else already deleted is gone all the same: the mark must still go with it.
    // A policy of that name that lockdown did not write (it refused to overwrite it) is kept.
    undo: async (ctx, p) => {
      const kept = await of
        .policies(ctx)
        .removeOwn(p.roleName, p.policyName, p.document)
        .catch((error: unknown) => {
          if (!isNotFound(error)) throw error;
          return undefined;
        });
      await of.policies(ctx).unguardUnlessOtherDenies(p.roleName, p.policyName);
      return kept;
    },
    inEffect: of.inEffect,
  });
}
