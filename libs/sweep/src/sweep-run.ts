import type { RegionProgress, TimeRange, UnreadSpan } from '@lockdown/contracts';
import { errorMessage } from '@lockdown/containment';
import { SweepFinding, findingsOf } from './finding';
import { Lookup, SweptIdentity, lookupOf } from './swept-identity';
import { TrailRecord } from './trail-record';

export type { RegionProgress, TimeRange, UnreadSpan } from '@lockdown/contracts';

/** One page of LookupEvents in one region (the port an adapter implements with the member role). */
export interface EventHistory {
  lookup(query: { region: string; lookup: Lookup; start: Date; end: Date; nextToken?: string }): Promise<{
    records: TrailRecord[];
    nextToken?: string;
  }>;
}

/**
 * How late CloudTrail may deliver an event to event history ("typically within 15 minutes"): each
 * pass reads again from this long before the end of the last one, for events delivered since.
 */
export const DELIVERY_LAG_MS = 15 * 60_000;

export interface SweepWindow {
  regions: string[];
  start: Date;
  end: Date;
}

export interface SweepPass {
  findings: SweepFinding[];
  pages: number;
  /**
   * How far each region was read: what is still `unread` (the page budget ran out first) the next pass
   * reads. A region that failed keeps the last pass's progress (none: the next pass reads it from the start).
   */
  progress: RegionProgress[];
  /** The regions whose reading failed this pass, and why (the next pass reads them again). */
  failed: RegionFailure[];
}

/** A region the pass could not read (LookupEvents throttled or erroring there), and the error. */
export interface RegionFailure {
  region: string;
  reason: string;
}

/** A page token the event history no longer takes (the adapter's translation of LookupEvents' InvalidNextTokenException). */
export class PageTokenExpired extends Error {
  override readonly name = 'PageTokenExpired';
}

/**
 * The pages of a pass an older unread span keeps however much is new (a quarter): the attacker who
 * floods the newest span (refused calls are recorded too) delays the backlog, never stops it.
 */
export const OLDER_SPANS_SHARE = 0.25;

/**
 * The spans a pass reads: the latest first (what is new since the last pass, merged with the spans
 * without a page token it overlaps), then the older ones newest first; a span with a token stays as
 * its query was.
 */
function spansToRead(unread: readonly UnreadSpan[], latest: TimeRange): UnreadSpan[] {
  const withToken = unread.filter((u) => u.nextToken);
  const byTime: UnreadSpan[] = [];
  for (const span of [...unread.filter((u) => !u.nextToken), latest].sort((a, b) => a.from.localeCompare(b.from))) {
    const last = byTime.at(-1);
    if (last && span.from <= last.to) last.to = span.to > last.to ? span.to : last.to;
    else byTime.push({ from: span.from, to: span.to });
  }
  // The merged span holding the latest ends last (nothing was asked for beyond the last pass's end).
  const newest = byTime.pop()!;
  return [newest, ...[...withToken, ...byTime].sort((a, b) => b.to.localeCompare(a.to) || b.from.localeCompare(a.from))];
}

/**
 * One region's pass: what is new since the last one first (from `DELIVERY_LAG_MS` before its end:
 * CloudTrail's late events land there), then the spans the last pass left unread, newest first,
 * with the pages left (at least `OLDER_SPANS_SHARE` of them); each span newest first, as LookupEvents
 * returns it, at most `maxPages` pages in all. Where the budget runs out, the span is left with its
 * page token (and how far back it read: if the token has expired by the next pass, that span is asked
 * again from there by time).
 */
async function sweepRegion(
  lookup: Lookup,
  region: string,
  window: SweepWindow,
  history: EventHistory,
  maxPages: number,
  previous: RegionProgress | undefined,
): Promise<{ records: TrailRecord[]; pages: number; progress: RegionProgress }> {
  const end = window.end.toISOString();
  const since = previous
    ? new Date(Math.max(window.start.getTime(), Date.parse(previous.readTo) - DELIVERY_LAG_MS)).toISOString()
    : window.start.toISOString();
  const spans = spansToRead(previous?.unread ?? [], { from: since, to: end });
  // With one page a pass, the older spans take it until they are read: the latest waits (merged into the next pass's), never lost.
  const forLatest = spans.length > 1 ? maxPages - Math.ceil(maxPages * OLDER_SPANS_SHARE) : maxPages;
  const records: TrailRecord[] = [];
  const unread: UnreadSpan[] = [];
  let pages = 0;
  for (const [index, span] of spans.entries()) {
    let { nextToken, to } = span;
    let oldest = span.readBackTo ?? span.to;
    for (;;) {
      if (pages >= (index === 0 ? forLatest : maxPages)) {
        unread.push({ from: span.from, to, ...(nextToken ? { nextToken } : {}), readBackTo: oldest });
        break;
      }
      pages += 1;
      let page: Awaited<ReturnType<EventHistory['lookup']>>;
      try {
        page = await history.lookup({ region, lookup, start: new Date(span.from), end: new Date(to), ...(nextToken ? { nextToken } : {}) });
      } catch (error) {
        if (!(error instanceof PageTokenExpired)) throw error;
        // Asked again by time from where it had read back to (what is read twice is reported once).
        [to, nextToken] = [oldest, undefined];
        continue;
      }
      // Newest first: read back oldest first, so a tie of CloudTrail's whole-second times keeps the order the events happened in.
      records.push(...[...page.records].reverse());
      const last = page.records.at(-1);
      if (last) oldest = new Date(last.eventTime).toISOString();
      nextToken = page.nextToken;
      if (!nextToken) break;
    }
  }
  return { records, pages, progress: { region, readTo: end, unread } };
}

/**
 * Reads the identity's events in every region of the window, in parallel (each region has its own
 * LookupEvents budget of 2 requests per second, which the adapter keeps), at most `maxPages` pages a
 * region, continuing from the last pass's `progress`; returns what the identity left, how far each
 * region was read, and which failed. One region's failure (throttled by another caller, an opt-in
 * region erroring) costs only that region, which the next pass reads again; when every region fails, so does the pass.
 */
export async function sweepPass(
  identity: SweptIdentity,
  window: SweepWindow,
  history: EventHistory,
  maxPages: number,
  previous: readonly RegionProgress[] = [],
): Promise<SweepPass> {
  const lookup = lookupOf(identity);
  const settled = await Promise.allSettled(
    window.regions.map((region) =>
      sweepRegion(
        lookup,
        region,
        window,
        history,
        maxPages,
        previous.find((p) => p.region === region),
      ),
    ),
  );
  const regions = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = settled.flatMap((s, i) =>
    s.status === 'rejected' ? [{ region: window.regions[i]!, reason: errorMessage(s.reason) }] : [],
  );
  if (regions.length === 0 && failed.length > 0)
    throw new Error(`every region failed: ${failed.map((f) => `${f.region} (${f.reason})`).join(', ')}`);
  return {
    findings: findingsOf(
      regions.flatMap((r) => r.records),
      identity,
    ),
    pages: regions.reduce((sum, r) => sum + r.pages, 0),
    progress: [...regions.map((r) => r.progress), ...previous.filter((p) => failed.some((f) => f.region === p.region))],
    failed,
  };
}
