import { ObservedIdentityCenterLockdown } from './observed';
import { planIdentityCenterLockdown } from './plan';

const observed = (overrides: Partial<ObservedIdentityCenterLockdown> = {}): ObservedIdentityCenterLockdown => ({
  arn: 'arn:aws:example',
  name: 'example',
  tags: {},
  ...overrides,
});

// Table-driven (Prepare / Act / Assess): one row per starting state and the step ids it must plan.
describe('planIdentityCenterLockdown', () => {
  it.each<[string, Partial<ObservedIdentityCenterLockdown>, string[]]>([['an untouched identity-center-user', {}, []]])(
    'plans %s',
    (_case, state, ids) => {
      expect(planIdentityCenterLockdown(observed(state), { requestId: 'req-1' }).map((s) => s.id)).toEqual(ids);
    },
  );
});
