import { stepKinds, type ContainmentAdapter } from '@lockdown/containment';
import type { IdentityCenterUserRef } from '@lockdown/contracts';
import type { ObservedIdentityCenterUser } from '../domain/observed';
import {
  IdentityCenterPlanOptions,
  identityCenterContainmentGaps,
  identityCenterNotes,
  planIdentityCenterContainment,
} from '../domain/plan';
import * as kinds from '../domain/step-kinds';
import { accountAssignment } from '../steps/account-assignment';
import type { IdentityCenterContext } from '../steps/context';
import { groupMembership } from '../steps/group-membership';
import { sessionDeny } from '../steps/session-deny';

/**
 * Reads the user: the instance, then the user, their assignments and memberships in parallel, then each
 * permission set they reach (and those the recorded steps deny) in parallel.
 */
export async function observeIdentityCenterUser(
  { api, recalledPermissionSets }: IdentityCenterContext,
  entity: IdentityCenterUserRef,
): Promise<ObservedIdentityCenterUser> {
  const { instanceArn, identityStoreId } = await api.instance();
  const [user, assignments, memberships] = await Promise.all([
    api.user(identityStoreId, entity.userId),
    api.assignmentsOf(instanceArn, entity.userId),
    api.membershipsOf(identityStoreId, entity.userId),
  ]);
  const arns = [...new Set([...assignments.map((a) => a.permissionSetArn), ...recalledPermissionSets])];
  const sets = await Promise.all(arns.map((arn) => api.permissionSet(instanceArn, arn)));
  return {
    arn: entity.arn,
    userId: entity.userId,
    userName: user.userName,
    external: user.external,
    instanceArn,
    identityStoreId,
    assignments,
    memberships,
    permissionSets: Object.fromEntries(sets.map((s) => [s.arn, s])),
  };
}

export function identityCenterContainmentAdapter(
  entity: IdentityCenterUserRef,
  options: IdentityCenterPlanOptions,
): ContainmentAdapter<IdentityCenterContext, ObservedIdentityCenterUser> {
  return {
    observe: (ctx) => observeIdentityCenterUser(ctx, entity),
    plan: (state) => planIdentityCenterContainment(state, options),
    snapshot: (state) => JSON.parse(JSON.stringify(state)),
    kinds: stepKinds<IdentityCenterContext, ObservedIdentityCenterUser>(sessionDeny, accountAssignment, groupMembership),
    containmentGaps: identityCenterContainmentGaps,
    notes: identityCenterNotes,
    recall: (ctx, steps) => {
      for (const step of steps)
        if (step.kind === kinds.sessionDeny.kind) ctx.recalledPermissionSets.add(kinds.sessionDeny.paramsOf(step).permissionSetArn);
    },
  };
}
