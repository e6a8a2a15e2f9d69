import { stepKinds, type ContainmentAdapter } from '@lockdown/containment';
import type { EntityRef } from '@lockdown/contracts';
import { ObservedIdentityCenterLockdown } from '../domain/observed';
import { IdentityCenterLockdownPlanOptions, containmentGaps, planIdentityCenterLockdown } from '../domain/plan';
import type { IdentityCenterLockdownContext } from '../steps/context';

/** Reads the entity (every independent call in parallel). */
export async function observeIdentityCenterLockdown(
  _ctx: IdentityCenterLockdownContext,
  entity: EntityRef,
): Promise<ObservedIdentityCenterLockdown> {
  return { arn: entity.arn, name: entity.name, tags: {} };
}

export function containmentAdapter(
  entity: EntityRef,
  options: IdentityCenterLockdownPlanOptions,
): ContainmentAdapter<IdentityCenterLockdownContext, ObservedIdentityCenterLockdown> {
  return {
    observe: (ctx) => observeIdentityCenterLockdown(ctx, entity),
    plan: (state) => planIdentityCenterLockdown(state, options),
    snapshot: (state) => ({ ...state, tags: { ...state.tags } }),
    // The implementations of the kinds of domain/step-kinds.ts, one file each in steps/.
    kinds: stepKinds<IdentityCenterLockdownContext, ObservedIdentityCenterLockdown>(),
    containmentGaps,
  };
}
