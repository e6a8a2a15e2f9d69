import { MAX_SWEPT_ACCOUNTS, type DispatchMessage, type RegionProgress } from '@lockdown/contracts';
import {
  MAX_DERIVED_CONTAINMENTS,
  type DerivedContainment,
  type EventHistory,
  type SweepPolicy,
  type SweptIdentity,
  type TrailRecord,
} from '@lockdown/sweep';
import { createSweep } from './sweep-of-containment';

const IC_ACCOUNT = '111111111111';
const accountOf = (n: number) => String(200000000000 + n);
const NOW = new Date('2026-12-01T12:00:00Z');

/** An SSO session's CreateUser in an account (the shape of the real record in libs/sweep's cloudtrail-samples). */
const createUser = (account: string, userName: string): TrailRecord => ({
  eventID: `e-${account}-${userName}`,
  eventTime: '2026-12-01T11:00:00Z',
  eventSource: 'iam.amazonaws.com',
  eventName: 'CreateUser',
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.7',
  recipientAccountId: account,
  requestParameters: { userName },
  responseElements: { user: { userName, arn: `arn:aws:iam::${account}:user/${userName}` } },
  userIdentity: {
    type: 'AssumedRole',
    arn: `arn:aws:sts::${account}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice`,
    accountId: account,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        arn: `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef`,
      },
    },
  },
});

const message = (sweepProgress?: RegionProgress[]): DispatchMessage => ({
  version: 1,
  requestId: 'req-1',
  entity: {
    type: 'identity-center-user',
    arn: 'arn:aws:identitystore:::user/u-1',
    requestedArn: 'arn:aws:identitystore:::user/u-1',
    partition: 'aws',
    accountId: IC_ACCOUNT,
    region: 'us-east-1',
    userId: 'u-1',
    name: 'u-1',
  },
  action: 'contain',
  requestedAt: '2026-12-01T10:00:00Z',
  dryRun: false,
  ...(sweepProgress ? { watch: { tick: 1, since: '2026-12-01T10:00:05Z', dueAt: NOW.toISOString(), sweepProgress } } : {}),
});

/** The sweep of a user who reached `accounts`; each account's history holds one CreateUser of its own, and records what it was asked. */
function sweepOf(accounts: string[], policy: SweepPolicy = {}, contained: DerivedContainment[] = []) {
  const asked: Array<{ accountId: string; start: string }> = [];
  const identity: SweptIdentity = { kind: 'identity-center-user', accountIds: accounts, userName: 'alice', permissionSetNames: ['Admin'] };
  const sweep = createSweep({
    service: 'identity-center-lockdown',
    settings: { lookbackHours: 24, maxPages: 5, regions: ['us-east-1'], policy },
    contain: async (containments) => void contained.push(...containments),
    recordedIdentity: async () => identity,
    historyFor: (_message, accountId): EventHistory => ({
      lookup: async ({ start }) => {
        asked.push({ accountId, start: start.toISOString() });
        return { records: [createUser(accountId, `door-${accountId}`)] };
      },
    }),
    enabledRegions: async () => ['us-east-1'],
    now: () => NOW,
  });
  return { sweep, asked };
}

describe('the sweep of an Identity Center user, in each account it reached', () => {
  it('reads each account with its own history, names the account of each finding and of its progress', async () => {
    const { sweep, asked } = sweepOf([accountOf(1), accountOf(2)]);

    const result = await sweep(message(), { reported: [] });

    expect(asked.map((a) => a.accountId).sort()).toEqual([accountOf(1), accountOf(2)]);
    expect(result?.event?.sweep?.findings.map((f) => [f.accountId, f.entities])).toEqual([
      [accountOf(1), [`iam-user door-${accountOf(1)}`]],
      [accountOf(2), [`iam-user door-${accountOf(2)}`]],
    ]);
    expect(result?.progress.map((p) => p.accountId)).toEqual([accountOf(1), accountOf(2)]);
  });

  it("continues each account from its own progress; a progress naming no account is the entity's (an older message)", async () => {
    const { sweep, asked } = sweepOf([IC_ACCOUNT, accountOf(1)]);
    const progress: RegionProgress[] = [
      { region: 'us-east-1', readTo: '2026-12-01T11:50:00Z', unread: [] },
      { accountId: accountOf(1), region: 'us-east-1', readTo: '2026-12-01T11:40:00Z', unread: [] },
    ];

    await sweep(message(progress), { reported: [], progress });

    // Each from 15 minutes (CloudTrail's delivery lag) before where it had read to.
    expect(Object.fromEntries(asked.map((a) => [a.accountId, a.start]))).toEqual({
      [IC_ACCOUNT]: '2026-12-01T11:35:00.000Z',
      [accountOf(1)]: '2026-12-01T11:25:00.000Z',
    });
  });

  it(`reads the first ${MAX_SWEPT_ACCOUNTS} accounts and says how many more it did not`, async () => {
    const accounts = Array.from({ length: MAX_SWEPT_ACCOUNTS + 3 }, (_, i) => accountOf(i + 1));
    const { sweep, asked } = sweepOf(accounts);

    const result = await sweep(message(), { reported: [] });

    expect(new Set(asked.map((a) => a.accountId))).toEqual(new Set(accounts.slice(0, MAX_SWEPT_ACCOUNTS)));
    expect(result?.event?.detail).toContain(`; 3 more not read (the first ${MAX_SWEPT_ACCOUNTS} are)`);
  });

  it(`sends at most ${MAX_DERIVED_CONTAINMENTS} containments per sweep, however many accounts the user's backdoors are in`, async () => {
    const contained: DerivedContainment[] = [];
    const accounts = Array.from({ length: MAX_SWEPT_ACCOUNTS }, (_, i) => accountOf(i + 1));
    const { sweep } = sweepOf(accounts, { 'new-principal': 'contain' }, contained);

    await sweep(message(), { reported: [] });

    expect(contained).toHaveLength(MAX_DERIVED_CONTAINMENTS);
  });
});
