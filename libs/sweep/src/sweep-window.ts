/** How far back CloudTrail's event history (LookupEvents) goes. */
export const EVENT_HISTORY_DAYS = 90;
/**
 * How long before a finding's first-seen time the sweep starts: a finding's first activity is the
 * first its product noticed, not always the attacker's first call (and its clock is not CloudTrail's).
 */
export const FIRST_SEEN_MARGIN_HOURS = 1;

const HOUR_MS = 3600_000;

/**
 * Where a sweep's lookback starts: the configured window before the request, or earlier when the
 * request says the compromise was first seen earlier (minus a margin); never before event history
 * begins (`clamped`). A first-seen time only ever lengthens the lookback.
 */
export function lookbackStart(o: { requestedAt: string; firstSeenAt?: string; lookbackHours: number; now: Date }): {
  start: Date;
  clamped?: true;
} {
  const window = Date.parse(o.requestedAt) - o.lookbackHours * HOUR_MS;
  const seen = o.firstSeenAt ? Date.parse(o.firstSeenAt) - FIRST_SEEN_MARGIN_HOURS * HOUR_MS : window;
  const oldest = o.now.getTime() - EVENT_HISTORY_DAYS * 24 * HOUR_MS;
  const start = Math.min(window, seen);
  return start < oldest ? { start: new Date(oldest), clamped: true } : { start: new Date(start) };
}
