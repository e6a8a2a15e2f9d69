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
    // Each pass reads what is new first (the new noise), the backlog with the pages left.
    for (let tick = 0; tick < 6; tick++) {
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

  // The reviewer's scenario (issue 23, H1): the compromised identity's reads fill more pages than one
  // pass reads, and its last write (CloudTrail delivers it a minute late) falls in the newest span.
  // Each pass reads what is new first: a backlog of old events never hides the latest plant.
  it('reads what is new first on every pass: a backlog of old events does not hide a recent plant, and the backlog is read on', async () => {
    const read = (n: number, at: number): TrailRecord => ({
      ...createUser(n, 'us-east-1'),
      eventID: `read-${n}`,
      eventName: 'GetUser',
      eventTime: new Date(at).toISOString(),
    });
    const start = Date.parse('2026-11-26T00:00:00Z');
    const containedAt = Date.parse('2026-11-26T12:00:00Z');
    // A GetUser every 20 minutes for 12 hours: 36 events, 18 pages of the fake's 2.
    const records = Array.from({ length: 36 }, (_, i) => read(i, start + i * 20 * 60_000));
    const { source } = history({ 'us-east-1': records });
    const window = { regions: ['us-east-1'], start: new Date(start), end: new Date(containedAt + 5_000) };

    const first = await sweepPass(MALLORY, window, source, 4);
    // Delivered a minute late: the first pass (5 s after containment) could not see it.
    records.push({ ...createUser(7, 'us-east-1'), eventTime: new Date(containedAt - 10_000).toISOString() });
    const second = await sweepPass(MALLORY, { ...window, end: new Date(containedAt + 120_000) }, source, 4, first.progress);

    expect(first.findings).toEqual([]);
    expect(second.findings.map((f) => f.eventId)).toEqual(['us-east-1-7']);
    // The backlog keeps its place (its page token) and is read on with the pages left.
    const backlog = second.progress[0]!.unread.find((u) => u.from === window.start.toISOString());
    expect(backlog?.nextToken).toBeDefined();
    expect(Date.parse(backlog!.readBackTo!)).toBeLessThan(Date.parse(first.progress[0]!.unread[0]!.readBackTo!));
  });

  // The attacker who read the fix floods the newest span (refused calls are recorded too) so that the
  // backlog, where an older plant lies, never gets a page: a quarter of the budget is kept for it.
  it('keeps a quarter of its pages for older spans however much is new', async () => {
    const start = Date.parse('2026-11-26T00:00:00Z');
    const plant = { ...createUser(1, 'us-east-1'), eventTime: '2026-11-26T00:10:00Z' };
    const flood = (n: number, at: number): TrailRecord => ({
      ...createUser(n, 'us-east-1'),
      eventID: `flood-${n}`,
      eventName: 'GetUser',
      eventTime: new Date(at).toISOString(),
    });
    const records: TrailRecord[] = [plant, ...Array.from({ length: 8 }, (_, i) => flood(i, start + 3600_000 + i * 60_000))];
    const { source } = history({ 'us-east-1': records });
    const window = { regions: ['us-east-1'], start: new Date(start), end: new Date(start + 2 * 3600_000) };

    let progress = (await sweepPass(MALLORY, window, source, 4)).progress;
    const found: string[] = [];
    for (let tick = 1; tick <= 3; tick++) {
      // 20 refused calls between ticks: 10 pages of new events, more than the whole budget.
      records.push(...Array.from({ length: 20 }, (_, i) => flood(tick * 100 + i, window.end.getTime() + i * 1000)));
      window.end = new Date(window.end.getTime() + 60_000);
      const pass = await sweepPass(MALLORY, window, source, 4, progress);
      progress = pass.progress;
      found.push(...pass.findings.map((f) => f.eventId));
    }

    expect(found).toContain('us-east-1-1');
  });

  // Issue 23, M1: one region's failure (LookupEvents throttled by the attacker's second principal, an
  // opt-in region erroring) must not throw away the other regions' findings and progress.
  it("reports the other regions' findings and progress when one region fails, and reads the failed one again next pass", async () => {
    const { source } = history({ 'us-east-1': [createUser(1, 'us-east-1')], 'eu-west-1': [createUser(2, 'eu-west-1')] });
    let failing = true;
    const flaky: EventHistory = {
      lookup: async (query) => {
        // As the SDK deserializes LookupEvents' throttle.
        if (failing && query.region === 'eu-west-1') throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
        return source.lookup(query);
      },
    };

    const first = await sweepPass(MALLORY, WINDOW, flaky, 10);
    failing = false;
    const later = { ...WINDOW, end: new Date('2026-11-26T14:00:00Z') };
    const second = await sweepPass(MALLORY, later, flaky, 10, first.progress);

    expect(first.findings.map((f) => f.eventId)).toEqual(['us-east-1-1']);
    expect(first.failed).toEqual([{ region: 'eu-west-1', reason: 'ThrottlingException: Rate exceeded' }]);
    // The failed region has no progress: the next pass reads it from the window's start.
    expect(first.progress).toEqual([{ region: 'us-east-1', readTo: WINDOW.end.toISOString(), unread: [] }]);
    expect(second.findings.map((f) => f.eventId)).toEqual(['eu-west-1-2']);
    expect(second.failed).toEqual([]);
  });

  it("keeps a failed region's earlier progress, so the next pass reads on from where it was", async () => {
    const { source } = history({ 'us-east-1': [1, 2, 3, 4, 5].map((n) => createUser(n, 'us-east-1')) });
    const window = { ...WINDOW, regions: ['us-east-1', 'eu-west-1'] };
    const first = await sweepPass(MALLORY, window, source, 2);
    const down: EventHistory = {
      lookup: async (query) => {
        if (query.region === 'us-east-1') throw Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' });
        return source.lookup(query);
      },
    };

    const second = await sweepPass(MALLORY, { ...window, end: new Date('2026-11-26T14:00:00Z') }, down, 2, first.progress);

    expect(second.progress.find((p) => p.region === 'us-east-1')).toEqual(first.progress.find((p) => p.region === 'us-east-1'));
    expect(second.failed).toEqual([{ region: 'us-east-1', reason: 'ServiceUnavailable: Service unavailable' }]);
  });

  it('fails when every region fails, saying why in each', async () => {
    const down: EventHistory = { lookup: async ({ region }) => Promise.reject(new Error(`${region} is down`)) };

    await expect(sweepPass(MALLORY, WINDOW, down, 2)).rejects.toThrow(
      'every region failed: us-east-1 (Error: us-east-1 is down), eu-west-1 (Error: eu-west-1 is down)',
    );
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
