import type { AttackEvent } from './attacker';
import { attackEnd } from './attack-end';
import { scoreEntity } from './score';

const clock = { watchSchedule: [5, 10], propagationMs: 4000, pollMs: 500 };

describe('when the adversarial campaign stops its attackers', () => {
  it("after the watch's last scheduled tick, its propagation and the attackers' answer", () => {
    expect(attackEnd({ ...clock, contained: [800, 1900], tampered: [6900, 11_800] })).toBe(11_900 + 4000 + 5000);
  });

  it('later when a TAMPERED report shows that the last tick ran late', () => {
    expect(attackEnd({ ...clock, contained: [800, 1900], tampered: [15_700] })).toBe(15_700 + 4000 + 5000);
  });

  // The CI failure of 2026-12-06 (watch only, an entity "held" from 19.7 s): on a loaded machine the
  // last tick ran late; its put-back propagated, and the fixed end (last CONTAINED + 10 + 4 + 1 s)
  // came before the attacker's undo of it had propagated and could be seen.
  it('leaves the attacker time to answer a late tick, so the watch alone never scores as a hold', () => {
    const lastContained = 5500;
    const lateTick = 15_200;
    const events: AttackEvent[] = [];
    const end = attackEnd({ ...clock, contained: [lastContained], tampered: [lateTick] });
    for (let at = 0; at < end; at += 500) {
      // The put-back propagates at 19.2 s; the second administrator's undo of it (16.4 s) at 20.4 s.
      const denied = at >= lateTick + 4000 && at < 16_400 + 4000;
      events.push({ at, actor: 'own credentials', kind: 'observe', what: 'read', result: denied ? 'refused' : 'allowed' });
    }
    events.push({ at: 16_400, actor: 'second administrator', kind: 'tamper', what: 'undo', result: 'allowed' });
    const score = (endAt: number) =>
      scoreEntity('watch only', {
        entity: 'iam-user',
        events: events.filter((e) => e.at < endAt),
        reappliedByVerify: 0,
        tampered: [{ at: lateTick, steps: 1 }],
        end: endAt,
        pollMs: 500,
      }).heldSeconds;
    const fixedEnd = lastContained + (10 + 4 + 1) * 1000;
    expect(score(fixedEnd)).toBe(19.5);
    expect(score(end)).toBeNull();
  });
});
