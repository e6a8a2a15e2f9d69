import { EVENT_HISTORY_DAYS, FIRST_SEEN_MARGIN_HOURS, lookbackStart } from './sweep-window';

const HOUR = 3600_000;
const NOW = Date.parse('2026-11-26T12:00:00Z');
const at = (hoursBeforeNow: number) => new Date(NOW - hoursBeforeNow * HOUR).toISOString();

describe("where a sweep's lookback starts", () => {
  const requestedAt = at(0.5);

  it('without a first-seen time: the configured window before the request', () => {
    expect(lookbackStart({ requestedAt, lookbackHours: 24, now: new Date(NOW) })).toEqual({ start: new Date(at(24.5)) });
  });

  // An attacker who planted 30 h before the finding, which first saw the activity then.
  it(`from a finding's first-seen time, ${FIRST_SEEN_MARGIN_HOURS} h before it, when that is earlier than the window`, () => {
    expect(lookbackStart({ requestedAt, firstSeenAt: at(30.5), lookbackHours: 24, now: new Date(NOW) })).toEqual({
      start: new Date(at(30.5 + FIRST_SEEN_MARGIN_HOURS)),
    });
  });

  it('never later than the configured window: a first-seen time cannot shorten the lookback', () => {
    expect(lookbackStart({ requestedAt, firstSeenAt: at(1), lookbackHours: 24, now: new Date(NOW) })).toEqual({
      start: new Date(at(24.5)),
    });
  });

  it(`never before event history's ${EVENT_HISTORY_DAYS} days, and says so`, () => {
    expect(lookbackStart({ requestedAt, firstSeenAt: at(24 * 400), lookbackHours: 24, now: new Date(NOW) })).toEqual({
      start: new Date(at(24 * EVENT_HISTORY_DAYS)),
      clamped: true,
    });
  });
});
