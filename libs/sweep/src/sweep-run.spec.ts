import { newFindings } from './finding';
import { EventHistory, sweepPass } from './sweep-run';
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

/** An event history that serves fixed records by region, two a page, and counts the pages asked for. */
function history(byRegion: Record<string, TrailRecord[]>) {
  const asked: string[] = [];
  const source: EventHistory = {
    lookup: async ({ region, lookup, nextToken }) => {
      asked.push(`${region}:${lookup.AttributeKey}=${lookup.AttributeValue}:${nextToken ?? '-'}`);
      const all = byRegion[region] ?? [];
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

    expect(asked).toEqual(['us-east-1:Username=mallory:-', 'us-east-1:Username=mallory:2', 'eu-west-1:Username=mallory:-']);
    expect(pass.cursor).toBeUndefined();
    expect(pass.findings.map((f) => [f.eventId, f.region, f.sourceIp, f.category, f.entities[0]!.id])).toEqual([
      ['us-east-1-1', 'us-east-1', '203.0.113.7', 'new-principal', 'u1'],
      ['us-east-1-2', 'us-east-1', '203.0.113.7', 'new-principal', 'u2'],
      ['us-east-1-3', 'us-east-1', '203.0.113.7', 'new-principal', 'u3'],
      ['eu-west-1-4', 'eu-west-1', '203.0.113.7', 'new-principal', 'u4'],
    ]);
  });

  it('stops at its page budget with a cursor, and the next pass resumes there', async () => {
    const { source, asked } = history({
      'us-east-1': [1, 2, 3].map((n) => createUser(n, 'us-east-1')),
      'eu-west-1': [createUser(4, 'eu-west-1')],
    });

    const first = await sweepPass(MALLORY, WINDOW, source, 2);
    const second = await sweepPass(MALLORY, WINDOW, source, 2, first.cursor);

    expect(first.pages).toBe(2);
    expect(first.cursor).toEqual({ region: 1, lookup: 0 });
    expect(second.cursor).toBeUndefined();
    expect([...first.findings, ...second.findings].map((f) => f.eventId)).toEqual([
      'us-east-1-1',
      'us-east-1-2',
      'us-east-1-3',
      'eu-west-1-4',
    ]);
    expect(asked).toHaveLength(3);
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
