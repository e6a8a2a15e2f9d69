import { EscapeRow, OUTCOMES, asExpected, callsOutcome, expectedOutcome } from './escape-verdict';

describe("the README attacker's verdicts", () => {
  it('calls all refused under the guard are refused by AWS (guard); without it, by AWS alone', () => {
    expect(callsOutcome('guard', ['refused', 'refused'])).toBe(OUTCOMES.refusedByGuard);
    expect(callsOutcome('watch only', ['refused'])).toBe('refused by AWS');
  });

  it('one call allowed is an escape that took effect, put back when the watch reported it', () => {
    expect(callsOutcome('watch only', ['refused', 'allowed'])).toBe(OUTCOMES.tookEffect);
    expect(callsOutcome('watch only', ['allowed'], true)).toBe(OUTCOMES.putBack);
  });

  it('no call at all, or only failures, is neither refused nor effective', () => {
    expect(callsOutcome('guard', [])).toBe('failed');
    expect(callsOutcome('guard', ['failed', 'refused'])).toBe('failed');
  });

  it('under the guard every escape AWS can refuse must be refused; without it, it takes effect', () => {
    expect(expectedOutcome('member-role', 'guard')).toBe(OUTCOMES.refusedByGuard);
    expect(expectedOutcome('member-role', 'watch only')).toBe(OUTCOMES.tookEffect);
    expect(expectedOutcome('tag-casing', 'watch only')).toBe(OUTCOMES.putBack);
    expect(expectedOutcome('lockdown-name', 'guard')).toBe(OUTCOMES.containedAnyway);
    expect(expectedOutcome('sample-findings', 'guard')).toBe(OUTCOMES.ignored);
  });

  it('a release through the contain authority passes with any code of the intake, and only as a refusal by lockdown', () => {
    const row = (outcome: string): EscapeRow => ({ escape: 'release-as-contain', configuration: 'guard', outcome, detail: '' });
    expect(asExpected(row('refused by lockdown (wrong-topic)'))).toBe(true);
    expect(asExpected(row('refused by lockdown ()'))).toBe(false);
    expect(asExpected(row(OUTCOMES.tookEffect))).toBe(false);
  });

  it('a guard-refusable escape that took effect under the guard fails its check', () => {
    expect(asExpected({ escape: 'delete-function', configuration: 'guard', outcome: OUTCOMES.tookEffect, detail: '' })).toBe(false);
    expect(asExpected({ escape: 'delete-function', configuration: 'watch only', outcome: OUTCOMES.tookEffect, detail: '' })).toBe(true);
  });
});
