import { CloudTrailClient, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { AuthorizeSecurityGroupIngressCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { type DispatchMessage, memberRolePolicy, renderAuditEmail } from '@lockdown/contracts';
import { Ec2Fixtures, MEMBER_POLICY_NAME, SimulatedAws } from '@lockdown/sandbox';
import {
  DELIVERY_LAG_MS,
  MAX_REPORTED_FINDINGS,
  type DerivedContainment,
  type EventHistory,
  type SweepPolicy,
  type TrailRecord,
} from '@lockdown/sweep';
import { InMemoryLedger } from '@lockdown/containment';
import { MemberAccounts } from '../member-accounts';
import { createSweep } from './sweep-of-containment';
import { derivedRequester, memberEventHistory } from './sweep-wiring';

const MEMBER = '111122223333';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const OUTSIDE = '999988887777';

/**
 * The sweep against the sandbox's CloudTrail: an attacker with a stolen key plants persistence
 * through the SDK; the sweep reads it back with the member role (its policy as the stack
 * synthesizes it, authorized by iam-simulate) and reports each plant with its CloudTrail event.
 */
describe('the persistence sweep of a contained IAM user', () => {
  let uninstall: () => void = () => undefined;
  afterEach(() => uninstall());

  async function plantedAccount() {
    const sim = new SimulatedAws();
    sim.seedMemberRole(MEMBER, 'lockdown-member', 'ext-1');
    for (const name of ['mallory', 'alice']) sim.seed(MEMBER, 'iam', 'CreateUser', { UserName: name, Path: '/' });
    sim.seed(MEMBER, 'iam', 'AttachUserPolicy', { UserName: 'mallory', PolicyArn: ADMIN });
    const key = sim.seed(MEMBER, 'iam', 'CreateAccessKey', { UserName: 'mallory' }).AccessKey;
    const { appGroup } = new Ec2Fixtures(sim, MEMBER, 'eu-west-1').network();
    sim.seed(MEMBER, 'cloudtrail', 'CreateTrail', { Name: 'org-trail', S3BucketName: 'logs' });
    uninstall = sim.install();
    sim.cloudTrail.sourceIps.set(key.AccessKeyId, '203.0.113.66');
    const stolen = { region: 'us-east-1', credentials: { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey } };
    const iam = new IAMClient(stolen);
    await iam.send(new CreateUserCommand({ UserName: 'svc-backup' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'svc-backup', PolicyArn: ADMIN }));
    const backdoorKey = (await iam.send(new CreateAccessKeyCommand({ UserName: 'svc-backup' }))).AccessKey!.AccessKeyId!;
    const aliceKey = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!.AccessKeyId!;
    const trust = { Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OUTSIDE}:root` }, Action: 'sts:AssumeRole' }] };
    await iam.send(new CreateRoleCommand({ RoleName: 'ops-audit', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    await new EC2Client({ ...stolen, region: 'eu-west-1' }).send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: appGroup,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    await new CloudTrailClient({ ...stolen, region: 'eu-west-1' }).send(new StopLoggingCommand({ Name: 'org-trail' }));
    return { sim, backdoorKey, aliceKey, appGroup, iam, stolen };
  }

  function sweepWith(
    sim: SimulatedAws,
    policy: SweepPolicy,
    regions: string[] | null = ['us-east-1', 'eu-west-1'],
    ledger?: InMemoryLedger,
    now = () => new Date(Date.now() + 1000),
    maxPages = 10,
  ) {
    const members = new MemberAccounts({
      roleName: 'lockdown-member',
      externalId: 'ext-1',
      service: 'iam-lockdown',
      sts: new STSClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDSECURITY', secretAccessKey: 'x' } }),
    });
    const sent: DerivedContainment[] = [];
    const sweep = createSweep({
      service: 'iam-lockdown',
      settings: { lookbackHours: 24, maxPages, ...(regions ? { regions } : {}), policy },
      ...memberEventHistory(members),
      contain: async (containments) => void sent.push(...containments),
      ...(ledger ? { ledger } : {}),
      now,
    });
    return { sweep, sent };
  }

  const message: DispatchMessage = {
    version: 1,
    requestId: 'req-1',
    entity: {
      type: 'iam-user',
      arn: `arn:aws:iam::${MEMBER}:user/mallory`,
      requestedArn: `arn:aws:iam::${MEMBER}:user/mallory`,
      partition: 'aws',
      accountId: MEMBER,
      name: 'mallory',
      path: '/',
    },
    action: 'contain',
    requestedAt: new Date().toISOString(),
    dryRun: false,
  };

  it('reports each plant with its CloudTrail event id, time, region, source IP, category and reason', async () => {
    const { sim, backdoorKey, aliceKey, appGroup } = await plantedAccount();
    const ledger = new InMemoryLedger();
    await ledger.create(
      {
        arn: message.entity.arn,
        entityType: 'iam-user',
        cycle: 1,
        status: 'contained',
        request: { requestId: 'req-1', requestedAt: message.requestedAt },
        original: { capturedAt: message.requestedAt, requestId: 'req-1', state: {} },
        steps: [],
        timeline: [],
        updatedAt: message.requestedAt,
      },
      undefined,
    );
    const { sweep } = sweepWith(sim, {}, undefined, ledger);

    const result = await sweep(message, { reported: [] });

    const findings = result!.event!.sweep!.findings;
    expect(findings.map((f) => [f.eventName, f.category, f.entities])).toEqual([
      ['CreateUser', 'new-principal', ['iam-user svc-backup']],
      ['AttachUserPolicy', 'privilege-escalation', ['iam-user svc-backup', `iam-policy ${ADMIN}`]],
      ['CreateAccessKey', 'new-credential', ['iam-user svc-backup', `iam-access-key ${backdoorKey} of svc-backup`]],
      ['CreateAccessKey', 'new-credential', ['iam-user alice', `iam-access-key ${aliceKey} of alice`]],
      ['CreateRole', 'new-principal', ['iam-role ops-audit']],
      ['AuthorizeSecurityGroupIngress', 'network-exposure', [`security-group ${appGroup} (tcp 22 from 0.0.0.0/0)`]],
      ['StopLogging', 'logging-tampering', ['trail org-trail']],
    ]);
    // The evidence is CloudTrail's own: each event id is a record of the attacker's key, from its address.
    const trail = new Map(sim.cloudTrail.recordsOf(MEMBER).map((r) => [r.eventID, r]));
    for (const f of findings) {
      expect(trail.get(f.eventId)?.userIdentity).toMatchObject({ type: 'IAMUser', userName: 'mallory' });
      expect(f.sourceIp).toBe('203.0.113.66');
      expect(f.action).toBe('reported');
    }
    expect(findings.find((f) => f.eventName === 'StopLogging')!.region).toBe('eu-west-1');
    expect(result!.event).toMatchObject({ kind: 'swept', requestId: 'req-1', entity: { type: 'iam-user', name: 'mallory' } });
    // Kept on the entity's ledger record, where `lockdown status` reads it.
    expect((await ledger.get(message.entity.arn))!.sweep).toEqual(findings);
    // Read with the member role, allowed by its synthesized policy (iam-simulate).
    const reads = sim.authorizations.filter((a) => a.operation === 'cloudtrail:LookupEvents');
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((a) => a.decision === 'Allowed' && a.principal.endsWith(':role/lockdown-member'))).toBe(true);
  });

  // Review finding: an attacker who planted 30 h before GuardDuty's finding was outside a 24 h window
  // counted back from the request; the request now carries the finding's first-seen time.
  it("reads back from the finding's first-seen time: what was planted 30 h before the request is found", async () => {
    const { sim } = await plantedAccount();
    const planted = Date.now();
    const requestedAt = new Date(planted + 30 * 3600_000);
    const { sweep } = sweepWith(sim, {}, undefined, undefined, () => new Date(requestedAt.getTime() + 1000));
    const request = { ...message, requestedAt: requestedAt.toISOString() };

    const windowOnly = await sweep(request, { reported: [] });
    const fromFinding = await sweep({ ...request, firstSeenAt: new Date(planted - 60_000).toISOString() }, { reported: [] });

    expect(windowOnly!.event!.sweep!.findings).toEqual([]);
    expect(fromFinding!.event!.sweep!.findings).toHaveLength(7);
    expect(Date.parse(fromFinding!.event!.sweep!.from)).toBe(planted - 60_000 - 3600_000);
  });

  it('a later tick reports only what is new, and nothing at all when nothing is', async () => {
    const { sim, iam } = await plantedAccount();
    const { sweep } = sweepWith(sim, {});
    const first = await sweep(message, { reported: [] });
    const tick = { ...message, watch: { tick: 1, since: message.requestedAt, dueAt: message.requestedAt } };

    const quiet = await sweep(tick, first!);
    await iam.send(new CreateUserCommand({ UserName: 'late-arrival' }));
    const later = await sweep(tick, quiet!);

    expect(first!.reported).toHaveLength(7);
    expect(quiet!.event).toBeUndefined();
    expect(quiet!.reported).toEqual(first!.reported);
    expect(later!.event!.sweep!.findings.map((f) => f.entities)).toEqual([['iam-user late-arrival']]);
    expect(later!.reported).toHaveLength(8);
  });

  it('under the contain policy, sends the new user, the user of the key made for alice and the backdoor role to containment', async () => {
    const { sim } = await plantedAccount();
    const { sweep, sent } = sweepWith(sim, {
      'new-principal': 'contain',
      'new-credential': 'contain',
      'trust-change': 'contain',
      'network-exposure': 'contain',
    });

    const result = await sweep(message, { reported: [] });

    expect(sent.map((c) => c.arn)).toEqual([
      `arn:aws:iam::${MEMBER}:user/svc-backup`,
      `arn:aws:iam::${MEMBER}:user/alice`,
      `arn:aws:iam::${MEMBER}:role/ops-audit`,
    ]);
    const actions = Object.fromEntries(result!.event!.sweep!.findings.map((f) => [f.eventName + ':' + f.entities[0], f.action]));
    expect(Object.values(actions).filter((a) => a === 'contained')).toHaveLength(3);
    expect(result!.event!.sweep!.findings.find((f) => f.category === 'network-exposure')!.action).toBe('reported');
  });

  // An attacker who knows the sweep contains what it finds could make it contain the defender's own
  // roles, and each derived containment's sweep could contain what those roles did: derived requests
  // report only, so one containment never cascades.
  it('contains nothing from the sweep of a containment the sweep itself derived: it reports only', async () => {
    const { sim } = await plantedAccount();
    const { sweep, sent } = sweepWith(sim, { 'new-principal': 'contain', 'new-credential': 'contain', 'trust-change': 'contain' });

    const result = await sweep({ ...message, requestedBy: derivedRequester('req-0') }, { reported: [] });

    expect(sent).toEqual([]);
    expect(result!.event!.sweep!.findings.every((f) => f.action === 'reported')).toBe(true);
  });

  it('reads only the regions SWEEP_REGIONS names, when it names some', async () => {
    const { sim } = await plantedAccount();
    const { sweep } = sweepWith(sim, {}, ['us-east-1']);

    const result = await sweep(message, { reported: [] });

    expect(result!.event!.sweep!.regions).toEqual(['us-east-1']);
    expect(result!.event!.sweep!.findings.map((f) => f.eventName)).not.toContain('StopLogging');
  });

  // Review finding: by default only the entity's region and IAM's were read, so an attacker who read
  // the README launched its miner elsewhere. Now every region enabled for the account (DescribeRegions,
  // with the member role: its synthesized policy allows it), an opt-in one the account enabled included.
  it('reads every region enabled for the account by default, in parallel: a miner in an opt-in region is found', async () => {
    const { sim, stolen } = await plantedAccount();
    sim.account(MEMBER).regions.add('ap-east-1');
    const { subnetId } = new Ec2Fixtures(sim, MEMBER, 'ap-east-1').network();
    const { Instances } = await new EC2Client({ ...stolen, region: 'ap-east-1' }).send(
      new RunInstancesCommand({ ImageId: 'ami-0abcdef1234567890', SubnetId: subnetId, MinCount: 1, MaxCount: 1 }),
    );
    const { sweep } = sweepWith(sim, {}, null);

    const started = performance.now();
    const result = await sweep(message, { reported: [] });
    const seconds = (performance.now() - started) / 1000;

    const report = result!.event!.sweep!;
    expect(report.regions).toHaveLength(18);
    expect(report.regions).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1', 'ap-east-1']));
    expect(report.findings.find((f) => f.eventName === 'RunInstances')).toMatchObject({
      region: 'ap-east-1',
      category: 'new-compute',
      entities: [expect.stringContaining(Instances![0]!.InstanceId!)],
    });
    expect(report.findings.map((f) => f.eventName)).toContain('StopLogging');
    const asked = sim.authorizations.filter((a) => a.operation === 'ec2:DescribeRegions');
    expect(asked.map((a) => [a.decision, a.principal.endsWith(':role/lockdown-member')])).toEqual([['Allowed', true]]);
    // The regions are read in parallel: one page each, paced per region, not 18 pages one after another.
    expect(report.pages).toBe(18);
    expect(seconds).toBeLessThan(18 * 0.5);
  });

  // Review finding (L2): ec2:DescribeRegions came with the sweep's default regions; a member role from
  // before it (a StackSet rolls out after the services) refused it, and every sweep failed. The sweep
  // now reads the entity's region and IAM's, and says the enabled regions were refused.
  it("reads IAM's region when the member role refuses DescribeRegions, and says so", async () => {
    const { sim } = await plantedAccount();
    const older = memberRolePolicy({
      partition: 'aws',
      account: MEMBER,
      memberRoleName: 'lockdown-member',
      securityAccountId: sim.homeAccountId,
    });
    for (const statement of older.Statement) statement.Action = statement.Action.filter((a) => a !== 'ec2:DescribeRegions');
    sim.seed(MEMBER, 'iam', 'PutRolePolicy', {
      RoleName: 'lockdown-member',
      PolicyName: MEMBER_POLICY_NAME,
      PolicyDocument: JSON.stringify(older),
    });
    const { sweep } = sweepWith(sim, {}, null);

    const result = await sweep(message, { reported: [] });

    expect(sim.authorizations.filter((a) => a.operation === 'ec2:DescribeRegions').map((a) => a.decision)).not.toContain('Allowed');
    expect(result!.event!.sweep!.regions).toEqual(['us-east-1']);
    expect(result!.event!.sweep!.findings.map((f) => f.eventName)).toContain('CreateUser');
    expect(result!.event!.detail).toMatch(/regions: DescribeRegions refused \(\S+\), read us-east-1 only/);
  });

  // Review finding: LookupEvents returns newest first and a pass reads SWEEP_MAX_PAGES pages, so an
  // attacker who made more writes than that after planting hid the plant from every tick.
  it('finds the plants under more noise than one pass reads, on the next tick, and says the first pass was incomplete', async () => {
    const { sim, iam } = await plantedAccount();
    for (let n = 0; n < 60; n++) await iam.send(new TagUserCommand({ UserName: 'alice', Tags: [{ Key: 'noise', Value: String(n) }] }));
    const { sweep } = sweepWith(sim, {}, ['us-east-1'], undefined, undefined, 1);
    const tick = { ...message, watch: { tick: 1, since: message.requestedAt, dueAt: message.requestedAt } };

    const first = await sweep(message, { reported: [] });
    const second = await sweep(tick, first!);

    expect(first!.event!.sweep!.findings).toEqual([]);
    expect(first!.event!.sweep!.unread).toEqual([{ region: 'us-east-1', from: expect.any(String), to: expect.any(String) }]);
    expect(first!.event!.detail).toMatch(/incomplete: read back to \S+ in us-east-1/);
    expect(second!.event!.sweep!.findings.map((f) => f.eventName)).toEqual([
      'CreateUser',
      'AttachUserPolicy',
      'CreateAccessKey',
      'CreateAccessKey',
      'CreateRole',
    ]);
    // With its one page spent on the older span, the second pass left only what is new since the first (less CloudTrail's lag).
    const lag = Date.parse(first!.event!.sweep!.to) - DELIVERY_LAG_MS;
    expect(second!.event!.sweep!.unread!.every((u) => Date.parse(u.from) >= lag)).toBe(true);
  });
});

/** A sweep over a scripted event history (one page a region), for what the report says when a region fails or the findings overflow. */
describe('the report of a sweep', () => {
  const MALLORY_ARN = `arn:aws:iam::${MEMBER}:user/mallory`;
  const requestedAt = '2026-11-26T12:00:00.000Z';
  const contained: DispatchMessage = {
    version: 1,
    requestId: 'req-9',
    entity: {
      type: 'iam-user',
      arn: MALLORY_ARN,
      requestedArn: MALLORY_ARN,
      partition: 'aws',
      accountId: MEMBER,
      name: 'mallory',
      path: '/',
    },
    action: 'contain',
    requestedAt,
    dryRun: false,
  };
  const createUser = (n: number, region: string): TrailRecord => ({
    eventID: `${region}-${n}`,
    eventTime: new Date(Date.parse(requestedAt) - 3600_000 + n * 1000).toISOString(),
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateUser',
    awsRegion: region,
    sourceIPAddress: '203.0.113.7',
    userIdentity: { type: 'IAMUser', arn: MALLORY_ARN, accountId: MEMBER, accessKeyId: 'AKIAM', userName: 'mallory' },
    requestParameters: { userName: `u${n}` },
    recipientAccountId: MEMBER,
  });
  const sweepOver = (history: EventHistory, regions: string[], ledger?: InMemoryLedger) =>
    createSweep({
      service: 'iam-lockdown',
      settings: { lookbackHours: 24, maxPages: 10, regions, policy: {} },
      historyFor: () => history,
      enabledRegions: async () => regions,
      ...(ledger ? { ledger } : {}),
      now: () => new Date(Date.parse(requestedAt) + 60_000),
    });
  /** The history of one region: every record on one page. */
  const holding = (records: TrailRecord[]): EventHistory => ({ lookup: async () => ({ records }) });
  const at = (n: number) => new Date(Date.parse(requestedAt) - 3600_000 + n * 1000).toISOString();
  /** `PutBucketAcl` on the attacker's own bucket: cheap, and a finding each (data-exposure). */
  const bucketAcl = (n: number): TrailRecord => ({
    ...createUser(0, 'us-east-1'),
    eventID: `acl-${n}`,
    eventTime: at(n),
    eventSource: 's3.amazonaws.com',
    eventName: 'PutBucketAcl',
    requestParameters: { bucketName: 'attacker-bucket' },
  });
  /** A snapshot shared with 1,000 accounts: the longest reason and entity the table writes (issue 23: the largest report). */
  const sharedSnapshot = (n: number): TrailRecord => ({
    ...createUser(0, 'us-east-1'),
    eventID: `9f0e6a5c-1b2d-4e3f-8a7b-${String(n).padStart(12, '0')}`,
    eventTime: at(n),
    eventSource: 'ec2.amazonaws.com',
    eventName: 'ModifySnapshotAttribute',
    sourceIPAddress: 'ec2-203-0-113-7.compute-1.amazonaws.com',
    requestParameters: {
      snapshotId: `snap-${String(n).padStart(17, '0')}`,
      createVolumePermission: { add: { items: Array.from({ length: 1000 }, (_, i) => ({ userId: String(100000000000 + i) })) } },
    },
  });
  const ledgerHolding = async () => {
    const ledger = new InMemoryLedger();
    await ledger.create(
      {
        arn: MALLORY_ARN,
        entityType: 'iam-user',
        cycle: 1,
        status: 'contained',
        request: { requestId: 'req-9', requestedAt },
        original: { capturedAt: requestedAt, requestId: 'req-9', state: {} },
        steps: [],
        timeline: [],
        updatedAt: requestedAt,
      },
      undefined,
    );
    return ledger;
  };

  // Issue 23, M1: a throttled (or erroring) region costs that region only, and the report says so.
  it("reports the other regions' findings and saves their progress when one region fails, and says which failed and why", async () => {
    let throttled = true;
    const history: EventHistory = {
      lookup: async ({ region }) => {
        // As the SDK deserializes LookupEvents' throttle.
        if (throttled && region === 'eu-west-1') throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
        return { records: [createUser(region === 'eu-west-1' ? 2 : 1, region)] };
      },
    };
    const sweep = sweepOver(history, ['us-east-1', 'eu-west-1']);

    const first = (await sweep(contained, { reported: [] }))!;
    throttled = false;
    const tick = { ...contained, watch: { tick: 1, since: requestedAt, dueAt: requestedAt } };
    const second = (await sweep(tick, first))!;

    expect(first.event!.sweep!.findings.map((f) => f.eventId)).toEqual(['us-east-1-1']);
    expect(first.event!.sweep!.failed).toEqual([{ region: 'eu-west-1', reason: 'ThrottlingException: Rate exceeded' }]);
    expect(first.event!.detail).toContain('; failed: eu-west-1 (ThrottlingException: Rate exceeded)');
    expect(renderAuditEmail(first.event!).body).toContain(
      '  failed: eu-west-1 (ThrottlingException: Rate exceeded) (not read; a later tick reads it again)',
    );
    expect(first.progress.map((p) => p.region)).toEqual(['us-east-1']);
    expect(second.event!.sweep!.findings.map((f) => f.eventId)).toEqual(['eu-west-1-2']);
    expect(second.event!.sweep!.failed).toBeUndefined();
  });

  it('is not quiet on a later tick that found nothing new when a region failed', async () => {
    const history: EventHistory = {
      lookup: async ({ region }) => {
        if (region === 'eu-west-1') throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
        return { records: [] };
      },
    };
    const tick = { ...contained, watch: { tick: 2, since: requestedAt, dueAt: requestedAt } };

    const result = await sweepOver(history, ['us-east-1', 'eu-west-1'])(tick, { reported: [] });

    expect(result!.event!.sweep!.failed).toEqual([{ region: 'eu-west-1', reason: 'ThrottlingException: Rate exceeded' }]);
  });

  // Issue 23, M2: an attacker makes a thousand findings cheaply (PutBucketAcl on their own bucket): a
  // report of them all exceeds SNS's and EventBridge's 256 KB (and DynamoDB's 400 KB item), its publish
  // fails and the sweep repeats on every tick, never reporting the real backdoor.
  it('lists at most MAX_REPORTED_FINDINGS, the backdoor first, counts the rest, and marks them all reported', async () => {
    const records = [createUser(1, 'us-east-1'), ...Array.from({ length: 1000 }, (_, i) => bucketAcl(i + 2))];
    const ledger = await ledgerHolding();
    const sweep = sweepOver(holding(records), ['us-east-1'], ledger);

    const first = (await sweep(contained, { reported: [] }))!;

    const report = first.event!.sweep!;
    expect(report.findings).toHaveLength(MAX_REPORTED_FINDINGS);
    expect(report.findings[0]!.eventId).toBe('us-east-1-1');
    // The newest of the rest are listed.
    expect(report.findings.at(-1)!.eventId).toBe('acl-1001');
    expect(report.more).toEqual([{ category: 'data-exposure', count: 901 }]);
    expect(first.event!.detail).toContain('found 1001 new finding(s)');
    expect(first.event!.detail).toContain(`; ${MAX_REPORTED_FINDINGS} listed, and 901 more of data-exposure`);
    expect(renderAuditEmail(first.event!).body).toContain('  and 901 more of data-exposure');
    expect(first.reported).toHaveLength(1001);
    expect((await ledger.get(MALLORY_ARN))!.sweep).toHaveLength(MAX_REPORTED_FINDINGS);

    // The next tick, with a hundred more: nothing reported twice, and the ledger keeps no more than the cap.
    records.push(...Array.from({ length: 100 }, (_, i) => bucketAcl(2000 + i)));
    const tick = { ...contained, watch: { tick: 1, since: requestedAt, dueAt: requestedAt } };
    const second = (await sweep(tick, first))!;
    expect(second.event!.sweep!.findings.map((f) => f.eventId)).toEqual(Array.from({ length: 100 }, (_, i) => `acl-${2000 + i}`));
    expect((await ledger.get(MALLORY_ARN))!.sweep).toHaveLength(MAX_REPORTED_FINDINGS);
  });

  it("keeps the largest report well under SNS's and EventBridge's 256 KB: its JSON and its email", async () => {
    const records = Array.from({ length: 1000 }, (_, i) => sharedSnapshot(i));
    const ledger = await ledgerHolding();

    const result = (await sweepOver(holding(records), ['us-east-1'], ledger)(contained, { reported: [] }))!;

    // SNS Publish and EventBridge PutEvents take at most 256 KB
    // (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html, https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html);
    // a DynamoDB item at most 400 KB (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html).
    const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
    expect(bytes(JSON.stringify(result.event))).toBeLessThan(128 * 1024);
    expect(bytes(renderAuditEmail(result.event!).body)).toBeLessThan(128 * 1024);
    expect(bytes(JSON.stringify((await ledger.get(MALLORY_ARN))!.sweep))).toBeLessThan(128 * 1024);
  });
});
