import { FirstSeenSchema } from '@lockdown/contracts';

/** The latest time a JavaScript Date holds (ECMAScript: 8.64e15 ms after the epoch); past it, toISOString throws. */
const MAX_DATE_MS = 8.64e15;

/**
 * A finding's first-seen time as the request carries it (UTC), from an ISO 8601 date-time or, as
 * OCSF's `timestamp_t`, epoch milliseconds; nothing when it cannot be read (the request then has
 * none, and the sweep reads its configured window).
 */
export function firstSeenOf(value: unknown): string | undefined {
  if (typeof value === 'number') return value > 0 && value <= MAX_DATE_MS ? new Date(value).toISOString() : undefined;
  return FirstSeenSchema.safeParse(value).success ? new Date(value as string).toISOString() : undefined;
}
