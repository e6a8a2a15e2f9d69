import { FirstSeenSchema } from '@lockdown/contracts';

/**
 * A finding's first-seen time as the request carries it (UTC), from an ISO 8601 date-time or, as
 * OCSF's `timestamp_t`, epoch milliseconds; nothing when it cannot be read (the request then has
 * none, and the sweep reads its configured window).
 */
export function firstSeenOf(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? new Date(value).toISOString() : undefined;
  return FirstSeenSchema.safeParse(value).success ? new Date(value as string).toISOString() : undefined;
}
