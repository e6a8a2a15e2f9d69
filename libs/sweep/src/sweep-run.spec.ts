import { newFindings } from './finding';
import { EventHistory, PageTokenExpired, RegionProgress, sweepPass } from './sweep-run';
import { SweptIdentity } from './swept-identity';
import { TrailRecord } from './trail-record';

const ACCOUNT = '111122223333';
const MALLORY: SweptIdentity = {
  kind: 'iam-user',
  accountId: ACCOUNT,
  userName: 'mallory',
  arn: `arn:aws:iam::${ACCOUNT}:user/mallory`,
  accessKeyIds: ['AKIAM'],
};
const identity = { type: 'IAMUser', arn: MALLORY.arn, accountId: ACCOUNT, accessKeyId: 'AKIAM', userName: 'mallory' };
const createUser = (n: number, region: string): TrailRecord => ({
  eventID: `${region}-${n}`,
  eventTime: `2026-11-26T12:${String(n).padStart(2, '0')}:00Z`,
  eventSource: 'iam.amazonaws.com',
  eventName: 'CreateUser',
  awsRegion: region,
  sourceIPAddress: '203.0.113.7',
  userIdentity: identity,
  requestParameters: { userName: `u${n}` },
  recipientAccountId: ACCOUNT,
});

/**
 * An event history as LookupEvents serves it: the records of a region within the query's time range,
 * newest first, two a page; it counts the pages asked for.
 */
function history(byRegion: Record<string, TrailRecord[]>) {
  const asked: string[] = [];
  const source: EventHistory = {
    lookup: async ({ region, lookup, start, end, nextToken }) => {
      asked.push(`${region}:${lookup.AttributeKey}=${lookup.AttributeValue}:${nextToken ?? '-'}`);
      const all = (byRegion[region] ?? [])
        .filter((r) => Date.parse(r.eventTime) >= start.getTime() && Date.parse(r.eventTime) <= end.getTime())
        .sort((a, b) => b.eventTime.localeCompare(a.eventTime));
      const offset = Number(nextToken ?? 0);
      return { records: all.slice(offset, offset + 2), ...(offset + 2 < all.length ? { nextToken: String(offset + 2) } : {}) };
    },
  };
  return { source, asked };
}

const WINDOW = { regions: ['us-east-1', 'eu-west-1'], start: new Date('2026-11-26T00:00:00Z'), end: new Date('2026-11-26T13:00:00Z') };

describe('a sweep pass', () => {
  it("reads every page of every region, by the identity's lookup, and reports each finding with its evidence", async () => {
    const { source, asked } = history({
      'us-east-1': [createUser(1, 'us-east-1'), createUser(2, 'us-east-1'), createUser(3, 'us-east-1')],
      'eu-west-1': [createUser(4, 'eu-west-1')],
    });

    const pass = await sweepPass(MALLORY, WINDOW, source, 10);

    // The regions in parallel (each has its own LookupEvents budget), each region's pages in turn.
    expect(asked.sort()).toEqual(['eu-west-1:Username=mallory:-', 'us-east-1:Username=mallory:-', 'us-east-1:Username=mallory:2']);
    expect(pass.progress.every((p) => p.unread.length === 0)).toBe(true);
    expect(pass.findings.map((f) => [f.eventId, f.region, f.sourceIp, f.category, f.entities[0]!.id])).toEqual([
      ['us-east-1-1', 'us-east-1', '203.0.113.7', 'new-principal', 'u1'],
      ['us-east-1-2', 'us-east-1', '203.0.113.7', 'new-principal', 'u2'],
      ['us-east-1-3', 'us-east-1', '203.0.113.7', 'new-principal', 'u3'],
      ['eu-west-1-4', 'eu-west-1', '203.0.113.7', 'new-principal', 'u4'],
    ]);
  });

  it('stops at its page budget in each region, says how far back it read, and the next pass reads on from there', async () => {
    const { source } = history({
      'us-east-1': [1, 2, 3, 4, 5].map((n) => createUser(n, 'us-east-1')),
      'eu-west-1': [createUser(6, 'eu-west-1')],
    });

    const first = await sweepPass(MALLORY, WINDOW, source, 2);
    const later = { ...WINDOW, end: new Date('2026-11-26T14:00:00Z') };
    const second = await sweepPass(MALLORY, later, source, 2, first.progress);

    expect(first.pages).toBe(3);
    expect(first.progress).toEqual([
      {
        region: 'us-east-1',
        readTo: WINDOW.end.toISOString(),
        unread: [
          { from: WINDOW.start.toISOString(), to: WINDOW.end.toISOString(), nextToken: '4', readBackTo: '2026-11-26T12:02:00.000Z' },
        ],
      },
      { region: 'eu-west-1', readTo: WINDOW.end.toISOString(), unread: [] },
    ]);
    expect(first.findings.map((f) => f.eventId)).toEqual(['us-east-1-2', 'us-east-1-3', 'us-east-1-4', 'us-east-1-5', 'eu-west-1-6']);
    expect(second.findings.map((f) => f.eventId)).toContain('us-east-1-1');
    expect(second.progress.every((p) => p.unread.length === 0 && p.readTo === later.end.toISOString())).toBe(true);
  });

  it('asks a span again by time from where it had read back to when its page token has expired', async () => {
    const { source } = history({ 'us-east-1': [1, 2, 3, 4, 5].map((n) => createUser(n, 'us-east-1')) });
    const window = { ...WINDOW, regions: ['us-east-1'] };
    const first = await sweepPass(MALLORY, window, source, 2);
    const expiring: EventHistory = {
      lookup: async (query) => {
        if (query.nextToken) throw new PageTokenExpired('InvalidNextTokenException: Invalid NextToken.');
        return source.lookup(query);
      },
    };

    const second = await sweepPass(MALLORY, { ...window, end: new Date('2026-11-26T14:00:00Z') }, expiring, 3, first.progress);

    expect(second.findings.map((f) => f.eventId)).toEqual(['us-east-1-1', 'us-east-1-2']);
    expect(second.progress[0]!.unread).toEqual([]);
  });

  // An attacker who read the README buries its plant under more writes than one pass reads
  // (SWEEP_MAX_PAGES x 50, newest first): each pass reads on from where the last one stopped.
  it('finds a plant under more noise than one pass reads, on a later pass, however much noise follows', async () => {
    const noise = (n: number, minute: number): TrailRecord => ({
      ...createUser(n, 'us-east-1'),
      eventID: `noise-${n}`,
      eventName: 'PutBucketTagging',
      eventSource: 's3.amazonaws.com',
      eventTime: new Date(Date.parse('2026-11-26T01:00:00Z') + minute * 60_000).toISOString(),
    });
    const plant = { ...createUser(1, 'us-east-1'), eventTime: '2026-11-26T00:30:00Z' };
    const records = [plant, ...Array.from({ length: 30 }, (_, i) => noise(i, i))];
    const { source } = history({ 'us-east-1': records });
    const window = { regions: ['us-east-1'], start: WINDOW.start, end: new Date('2026-11-26T02:00:00Z') };

    let progress: RegionProgress[] | undefined;
    const found: string[][] = [];
    for (let tick = 0; tick < 5; tick++) {
      const pass = await sweepPass(MALLORY, window, source, 4, progress);
      // More noise arrives between passes.
      records.push(...Array.from({ length: 4 }, (_, i) => noise(100 + tick * 10 + i, 61 + tick * 5 + i)));
      window.end = new Date(window.end.getTime() + 30 * 60_000);
      progress = pass.progress;
      found.push(pass.findings.map((f) => f.eventId));
    }

    expect(found[0]).toEqual([]);
    expect(found.flat()).toContain('us-east-1-1');
  });

  it("keeps only the identity's records and reports a finding once, even when a later sweep sees it again", async () => {
    const other = {
      ...createUser(5, 'us-east-1'),
      userIdentity: { ...identity, arn: `arn:aws:iam::${ACCOUNT}:user/other`, accessKeyId: 'AKIAO' },
    };
    const { source } = history({ 'us-east-1': [createUser(1, 'us-east-1'), other, createUser(1, 'us-east-1')] });

    const pass = await sweepPass(MALLORY, WINDOW, source, 10);

    expect(pass.findings.map((f) => f.eventId)).toEqual(['us-east-1-1']);
    expect(newFindings(pass.findings, new Set(['us-east-1-1']))).toEqual([]);
  });
});
