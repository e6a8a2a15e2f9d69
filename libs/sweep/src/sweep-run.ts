import { SweepFinding, findingsOf } from './finding';
import { Lookup, SweptIdentity, lookupsOf } from './swept-identity';
import { TrailRecord } from './trail-record';

/** One page of LookupEvents in one region (the port an adapter implements with the member role). */
export interface EventHistory {
  lookup(query: { region: string; lookup: Lookup; start: Date; end: Date; nextToken?: string }): Promise<{
    records: TrailRecord[];
    nextToken?: string;
  }>;
}

/** Where an unfinished sweep resumes: the region, the lookup, the page. */
export interface SweepCursor {
  region: number;
  lookup: number;
  nextToken?: string;
}

export interface SweepWindow {
  regions: string[];
  start: Date;
  end: Date;
}

export interface SweepPass {
  findings: SweepFinding[];
  pages: number;
  /** Set when the page budget ran out first: run again from here (a continuation, never a sleep). */
  cursor?: SweepCursor;
}

/**
 * Reads the identity's events in each region of the window, at most `maxPages` LookupEvents pages
 * (the adapter paces them within CloudTrail's 2 requests per second per account and region), and
 * returns what the identity left; a cursor when there is more to read.
 */
export async function sweepPass(
  identity: SweptIdentity,
  window: SweepWindow,
  history: EventHistory,
  maxPages: number,
  from: SweepCursor = { region: 0, lookup: 0 },
): Promise<SweepPass> {
  const lookups = lookupsOf(identity);
  // Per region and lookup, newest first as LookupEvents returns them; read back oldest first (a
  // tie of CloudTrail's whole-second times keeps the order the events happened in).
  const segments = new Map<string, TrailRecord[]>();
  const records = () => [...segments.values()].flatMap((segment) => [...segment].reverse());
  let pages = 0;
  let cursor: SweepCursor | undefined = from;
  while (cursor && cursor.region < window.regions.length) {
    if (pages >= maxPages) return { findings: findingsOf(records(), identity), pages, cursor };
    const page = await history.lookup({
      region: window.regions[cursor.region]!,
      lookup: lookups[cursor.lookup]!,
      start: window.start,
      end: window.end,
      ...(cursor.nextToken ? { nextToken: cursor.nextToken } : {}),
    });
    pages += 1;
    const segment = `${cursor.region}|${cursor.lookup}`;
    segments.set(segment, [...(segments.get(segment) ?? []), ...page.records]);
    cursor = page.nextToken
      ? { ...cursor, nextToken: page.nextToken }
      : cursor.lookup + 1 < lookups.length
        ? { region: cursor.region, lookup: cursor.lookup + 1 }
        : { region: cursor.region + 1, lookup: 0 };
  }
  return { findings: findingsOf(records(), identity), pages };
}
