import { iso } from 'zod/mini';

/**
 * When the compromise was first seen, as a request may say it (a finding's first-seen time, or a
 * responder's `lockdown contain --since`): an ISO 8601 date-time with its offset. The persistence
 * sweep reads CloudTrail from there (never from later than its configured window: a publisher can
 * lengthen the lookback, never shorten it). The intake refuses one later than the request.
 */
export const FirstSeenSchema = iso.datetime({ offset: true, error: 'firstSeenAt must be an ISO 8601 date-time' });

/** How far after the request a first-seen time may be and still be taken as the request's own time (clocks differ). */
export const FIRST_SEEN_SKEW_MS = 5 * 60_000;

/** A first-seen time later than the request's (beyond the skew): why it is refused, or nothing. */
export function firstSeenInFuture(firstSeenAt: string, requestedAt: string): string | undefined {
  const seen = new Date(firstSeenAt).toISOString();
  return Date.parse(firstSeenAt) > Date.parse(requestedAt) + FIRST_SEEN_SKEW_MS
    ? `firstSeenAt (${seen}) is after the request (${requestedAt}): a compromise cannot be first seen in the future`
    : undefined;
}
