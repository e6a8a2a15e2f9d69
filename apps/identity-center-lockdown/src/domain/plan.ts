import type { PlannedStep } from '@lockdown/containment';
import { ObservedIdentityCenterLockdown } from './observed';

export interface IdentityCenterLockdownPlanOptions {
  /** The containment tag's value. */
  requestId: string;
}

/**
 * Plans the containment of a identity-center-user. Pure: observed state in, steps out (stage 0: the first
 * effect, self-identifying; later stages in parallel), each built by its kind's declaration in
 * step-kinds.ts: `kinds.<kind>.step(fields, params)`.
 */
export function planIdentityCenterLockdown(
  _observed: ObservedIdentityCenterLockdown,
  _options: IdentityCenterLockdownPlanOptions,
): PlannedStep[] {
  return [];
}

/** What must hold for the entity to count as contained (verify re-applies a step whose effect is missing). */
export function containmentGaps(_observed: ObservedIdentityCenterLockdown): string[] {
  return [];
}
