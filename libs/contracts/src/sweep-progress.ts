import { array, iso, maxLength, object, optional, regex, string } from 'zod/mini';
import type { z } from 'zod/mini';

/** A span of event history, ISO times (both ends included, as LookupEvents' StartTime and EndTime). */
export const TimeRangeSchema = object({ from: iso.datetime(), to: iso.datetime() });
export type TimeRange = z.infer<typeof TimeRangeSchema>;

/**
 * A span not read yet: where the page budget ran out, the page token of that query (a token is
 * valid for its query only: StartTime `from`, EndTime `to`) and how far back it had read; events of
 * one second beyond a page (an attacker's burst) are read on by the token, not asked again by time.
 */
export const UnreadSpanSchema = object({
  from: iso.datetime(),
  to: iso.datetime(),
  nextToken: optional(string().check(maxLength(4096))),
  readBackTo: optional(iso.datetime()),
});
export type UnreadSpan = z.infer<typeof UnreadSpanSchema>;

/**
 * How far a containment's persistence sweep has read one region's event history, carried from one
 * tamper-watch tick to the next: the end of the last window it asked for (`readTo`), and the spans
 * it has not read yet because its page budget ran out (LookupEvents returns newest first: what was
 * left is older). The next tick reads those first, then what is new.
 */
export const RegionProgressSchema = object({
  /** The account whose history it is, when not the contained entity's (an Identity Center user's sweep reads each account it reached). */
  accountId: optional(string().check(regex(/^\d{12}$/))),
  region: string().check(maxLength(32)),
  readTo: iso.datetime(),
  unread: array(UnreadSpanSchema).check(maxLength(64)),
});
export type RegionProgress = z.infer<typeof RegionProgressSchema>;

/**
 * The most accounts one sweep reads (an Identity Center user reaches many): the first ones, in the
 * order recorded at containment; its audit record says how many more it did not read.
 */
export const MAX_SWEPT_ACCOUNTS = 20;
/** The most regions of one account a sweep's progress holds. */
export const MAX_SWEPT_REGIONS = 64;
