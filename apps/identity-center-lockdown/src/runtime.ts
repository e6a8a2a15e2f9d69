import type { EntityOf } from '@lockdown/contracts';
import { planIdentityCenterLockdown } from './domain/plan';

export { createIdentityCenterLockdownHandler as createHandler } from './handler';

/** The plan for an example starting state (`lockdown plan`). */
export function examplePlan(entity: EntityOf<'identity-center-lockdown'>, _now: string) {
  return {
    assumes: 'no tags',
    steps: planIdentityCenterLockdown({ arn: entity.arn, name: entity.name, tags: {} }, { requestId: '<request-id>' }),
  };
}
