import type { AttackEvent } from './attacker';
import { EntityOutcome, scoreEntity } from './score';

const own = (at: number, result: AttackEvent['result']): AttackEvent => ({
  at,
  actor: 'own credentials',
  kind: 'observe',
  what: 'read the entity',
  result,
});
const tamper = (at: number, result: AttackEvent['result'], actor: AttackEvent['actor'] = 'second administrator'): AttackEvent => ({
  at,
  actor,
  kind: 'tamper',
  what: 'delete lockdown-deny-all',
  result,
});
const outcome = (events: AttackEvent[], extra: Partial<EntityOutcome> = {}): EntityOutcome => ({
  entity: 'iam-user',
  events,
  containedAt: 400,
  reappliedByVerify: 0,
  tampered: [],
  end: 6000,
  pollMs: 500,
  ...extra,
});

describe('the adversarial scorecard of one entity', () => {
  it('is held from the first refusal of its own credentials after the last success, and exposed while they were accepted', () => {
    const events = [
      own(-500, 'allowed'), // before the request: not exposure
      own(0, 'allowed'),
      tamper(520, 'allowed'),
      own(500, 'allowed'),
      own(1000, 'refused'),
      tamper(1010, 'refused'),
      own(1500, 'refused'),
      own(2000, 'refused'),
    ];
    const score = scoreEntity('guard', outcome(events, { tampered: [{ at: 5400, steps: 2 }], reappliedByVerify: 1 }));
    expect(score).toEqual({
      entity: 'iam-user',
      configuration: 'guard',
      containedSeconds: 0.4,
      heldSeconds: 1,
      attempts: 2,
      blocked: 1,
      tookEffect: 1,
      putBack: 3,
      tamperedReports: 1,
      exposedSeconds: 1,
    });
  });

  it('is never held when a tampering took effect at the end, even if its own credentials were refused', () => {
    const events = [own(0, 'allowed'), own(500, 'refused'), own(5500, 'refused'), tamper(5600, 'allowed')];
    expect(scoreEntity('watch only', outcome(events)).heldSeconds).toBeNull();
  });

  it('is never held when its own credentials still worked at the end', () => {
    const events = [own(0, 'refused'), own(5000, 'refused'), own(5500, 'allowed')];
    expect(scoreEntity('watch only', outcome(events)).heldSeconds).toBeNull();
  });

  it('counts a failure that is not a refusal neither as blocked nor as taking effect', () => {
    const events = [own(0, 'refused'), tamper(10, 'failed'), tamper(20, 'refused', 'own credentials')];
    expect(scoreEntity('guard', outcome(events))).toMatchObject({ attempts: 2, blocked: 1, tookEffect: 0, heldSeconds: 0 });
  });
});
