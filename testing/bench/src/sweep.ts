import { CreateUserCommand, GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { MemberAccounts, createSweep, memberEventHistory } from '@lockdown/aws';
import type { DispatchMessage } from '@lockdown/contracts';
import { SimulatedAws } from '@lockdown/sandbox';

export interface SweepFigures {
  /** Events the identity made in the lookback, and how many the table reports. */
  events: number;
  findings: number;
  lookbackHours: number;
  /** The regions read (by default every region enabled for the account: one DescribeRegions call), in parallel. */
  regions: number;
  describeRegionsCalls: number;
  /** LookupEvents calls (pages of 50; at least one a region) and how many CloudTrail throttled. */
  lookupCalls: number;
  throttled: number;
  seconds: number;
}

const MEMBER = '111111111111';
const ROLE = 'lockdown-member';
const EXTERNAL_ID = 'bench-member';

/**
 * The sweep of one contained user whose last hour holds `events` CloudTrail events (one change in
 * fifty, the rest reads), read with the member role under LookupEvents' 2 requests per second, in
 * every region enabled for the account (the default) in parallel.
 */
export async function benchSweep(events = 500): Promise<SweepFigures> {
  const sim = new SimulatedAws();
  const start = Date.now() - 3600_000;
  let offset = 0;
  sim.now = () => new Date(start + offset);
  sim.seedMemberRole(MEMBER, ROLE, EXTERNAL_ID);
  sim.seed(MEMBER, 'iam', 'CreateUser', { UserName: 'bench-user', Path: '/' });
  sim.seed(MEMBER, 'iam', 'AttachUserPolicy', { UserName: 'bench-user', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
  const key = sim.seed(MEMBER, 'iam', 'CreateAccessKey', { UserName: 'bench-user' }).AccessKey;
  const uninstall = sim.install();
  try {
    const iam = new IAMClient({ region: 'us-east-1', credentials: { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey } });
    for (let i = 0; i < events; i++) {
      offset = (i * 3600_000) / events;
      if (i % 50 === 0) await iam.send(new CreateUserCommand({ UserName: `made-${i}` }));
      else await iam.send(new GetUserCommand({ UserName: 'bench-user' }));
    }
    offset = 3600_000;
    const members = new MemberAccounts({
      roleName: ROLE,
      externalId: EXTERNAL_ID,
      service: 'bench',
      sts: new STSClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'x' } }),
    });
    const sweep = createSweep({
      service: 'bench',
      // The default: every region enabled for the account (SWEEP_REGIONS unset).
      settings: { lookbackHours: 1, maxPages: 40, policy: {} },
      ...memberEventHistory(members),
      now: () => sim.now(),
    });
    const message: DispatchMessage = {
      version: 1,
      requestId: 'bench-sweep',
      entity: {
        type: 'iam-user',
        arn: `arn:aws:iam::${MEMBER}:user/bench-user`,
        requestedArn: `arn:aws:iam::${MEMBER}:user/bench-user`,
        partition: 'aws',
        accountId: MEMBER,
        name: 'bench-user',
        path: '/',
      },
      action: 'contain',
      requestedAt: new Date(start + 3600_000).toISOString(),
      dryRun: false,
    };
    const began = performance.now();
    const result = await sweep(message, { reported: [] });
    const lookups = sim.calls.filter((c) => c.service === 'cloudtrail' && c.operation === 'LookupEvents');
    const describeRegions = sim.calls.filter((c) => c.service === 'ec2' && c.operation === 'DescribeRegions');
    return {
      events,
      findings: result?.event?.sweep?.findings.length ?? 0,
      lookbackHours: 1,
      regions: result?.event?.sweep?.regions.length ?? 0,
      describeRegionsCalls: describeRegions.length,
      lookupCalls: lookups.length,
      throttled: lookups.filter((c) => c.error).length,
      seconds: Math.round((performance.now() - began) / 100) / 10,
    };
  } finally {
    uninstall();
  }
}
