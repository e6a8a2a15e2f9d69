import { MEMBER_ACCOUNT, ServiceHarness, dispatchMessage, sqsEvent, sqsRecord } from '@lockdown/sandbox';
import { memberRolePolicy, settingsEnvironment } from '@lockdown/contracts';
import { descriptor } from './descriptor';
import { DENY_SID, MAX_BUCKET_POLICY_BYTES } from './domain/plan';
import { createS3LockdownHandler } from './handler';

// The member role as the stack deploys it: the shared statements and this service's own.
const harness = new ServiceHarness({
  memberPolicy: (props) => memberRolePolicy(props, descriptor.memberStatements),
});
const OTHER_ACCOUNT = '222222222222';
const REGION = 'eu-west-1';
const arn = (bucket: string) => `arn:aws:s3:::${bucket}`;
let env: NodeJS.ProcessEnv;

beforeAll(() => harness.start());
afterAll(() => harness.stop());
beforeEach(async () => {
  env = await harness.reset();
  // A workload administrator of the member account: what an attacker with the bucket's account would hold.
  harness.sim.seedAdminRole(MEMBER_ACCOUNT, 'admin', 'x');
});

const s3 = (operation: string, input: object, account = MEMBER_ACCOUNT, region = REGION) =>
  harness.sim.seed(account, 's3', operation, input, region);
const handler = (extra: Record<string, string> = {}) => createS3LockdownHandler({ ...env, ...extra }, { dynamodb: harness.dynamo.client });
const run = (...messages: ReturnType<typeof dispatchMessage>[]) =>
  harness.invoke(handler(), sqsEvent(...messages.map((m) => sqsRecord(m))));
const bucketView = (name: string) => structuredClone(harness.sim.s3Buckets.get(name));
const adminMay = (action: string, bucket: string, key?: string) => harness.sim.bucketDecision(MEMBER_ACCOUNT, 'admin', action, bucket, key);
const memberMay = (action: string, bucket: string) => harness.sim.bucketDecision(MEMBER_ACCOUNT, 'lockdown-member', action, bucket);

const PARTNER_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Partner',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
      Action: 's3:GetObject',
      Resource: `${arn('data')}/*`,
    },
  ],
});

function seedBucket(
  name: string,
  options: {
    policy?: string;
    publicAccessBlock?: boolean;
    ownership?: string;
    tags?: Record<string, string>;
    owner?: string;
    region?: string;
  } = {},
) {
  const account = options.owner ?? MEMBER_ACCOUNT;
  const region = options.region ?? REGION;
  s3('CreateBucket', { Bucket: name, CreateBucketConfiguration: { LocationConstraint: region } }, account, region);
  if (options.policy) s3('PutBucketPolicy', { Bucket: name, Policy: options.policy, ExpectedBucketOwner: account }, account, region);
  if (options.publicAccessBlock !== undefined)
    s3(
      'PutPublicAccessBlock',
      {
        Bucket: name,
        ExpectedBucketOwner: account,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: options.publicAccessBlock,
          IgnorePublicAcls: false,
          BlockPublicPolicy: false,
          RestrictPublicBuckets: false,
        },
      },
      account,
      region,
    );
  if (options.ownership)
    s3(
      'PutBucketOwnershipControls',
      { Bucket: name, ExpectedBucketOwner: account, OwnershipControls: { Rules: [{ ObjectOwnership: options.ownership }] } },
      account,
      region,
    );
  if (options.tags)
    s3(
      'PutBucketTagging',
      {
        Bucket: name,
        ExpectedBucketOwner: account,
        Tagging: { TagSet: Object.entries(options.tags).map(([Key, Value]) => ({ Key, Value })) },
      },
      account,
      region,
    );
}

describe('s3-lockdown', () => {
  it("denies every principal but lockdown's, blocks public access, turns ACLs off, tags; release restores the bucket exactly", async () => {
    seedBucket('data', { policy: PARTNER_POLICY, publicAccessBlock: true, ownership: 'ObjectWriter', tags: { team: 'data' } });
    const before = bucketView('data');
    expect(await adminMay('s3:GetObject', 'data', 'report.csv')).toBe('Allowed');

    expect(await run(dispatchMessage(arn('data')))).toEqual({ batchItemFailures: [] });

    const contained = bucketView('data')!;
    expect(JSON.parse(contained.policy!).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['Partner', DENY_SID]);
    expect(contained.publicAccessBlock).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    expect(contained.ownership).toBe('BucketOwnerEnforced');
    expect(contained.tags).toEqual([
      { Key: 'team', Value: 'data' },
      { Key: 'lockdown:containment', Value: expect.any(String) },
    ]);
    // Judged by AWS's evaluation logic (iam-simulate), with the bucket policy as the resource policy.
    expect(await adminMay('s3:GetObject', 'data', 'report.csv')).toBe('ExplicitlyDenied');
    expect(await adminMay('s3:PutBucketPolicy', 'data')).toBe('ExplicitlyDenied');
    expect(await memberMay('s3:PutBucketPolicy', 'data')).toBe('Allowed');
    expect(harness.audits[0]).toMatchObject({ kind: 'contained', subject: '[lockdown] CONTAINED s3-bucket data in 111111111111' });

    expect(await run(dispatchMessage(arn('data'), { action: 'release' }))).toEqual({ batchItemFailures: [] });
    expect(bucketView('data')).toEqual(before);
    expect(await adminMay('s3:GetObject', 'data', 'report.csv')).toBe('Allowed');
  });

  it('contains a bucket with no policy, no Block Public Access, no ownership controls and no tags, and releases it to none of them', async () => {
    seedBucket('bare');
    const before = bucketView('bare');
    await run(dispatchMessage(arn('bare')));
    expect(JSON.parse(bucketView('bare')!.policy!).Statement).toHaveLength(1);
    await run(dispatchMessage(arn('bare'), { action: 'release' }));
    expect(bucketView('bare')).toEqual(before);
    const mutations = harness.sim.mutatingCalls().map((c) => c.operation);
    expect(mutations).toEqual(
      expect.arrayContaining(['DeleteBucketPolicy', 'DeletePublicAccessBlock', 'DeleteBucketOwnershipControls', 'DeleteBucketTagging']),
    );
  });

  it('replaces a policy at the size limit with the deny alone, and restores it whole', async () => {
    const filler = (n: number) => ({
      Sid: `S${n}`,
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
      Action: 's3:GetObject',
      Resource: `${arn('big')}/p${n}/*`,
    });
    const statements = [];
    while (
      JSON.stringify({ Version: '2012-10-17', Statement: [...statements, filler(statements.length)] }).length <= MAX_BUCKET_POLICY_BYTES
    )
      statements.push(filler(statements.length));
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: statements });
    seedBucket('big', { policy });

    await run(dispatchMessage(arn('big')));
    expect(JSON.parse(bucketView('big')!.policy!).Statement.map((s: { Sid: string }) => s.Sid)).toEqual([DENY_SID]);
    expect(harness.audits[0]?.body).toMatch(/exceed 20 KB/);

    await run(dispatchMessage(arn('big'), { action: 'release' }));
    expect(bucketView('big')!.policy).toBe(policy);
  });

  it('finds a bucket in another region than the one it asks first, and works there', async () => {
    seedBucket('far', { region: 'ap-southeast-2' });
    await run(dispatchMessage(arn('far')));
    expect(bucketView('far')!.policy).toContain(DENY_SID);
    const regions = new Set(harness.sim.calls.filter((c) => c.service === 's3').map((c) => `${c.operation}@${c.region}`));
    expect(regions).toContain('GetBucketLocation@us-east-1');
    expect(regions).toContain('PutBucketPolicy@ap-southeast-2');
  });

  it('fails without a change when the bucket does not exist', async () => {
    const result = await run(dispatchMessage(arn('missing')));
    expect(result.batchItemFailures).toHaveLength(1);
    expect(harness.sim.mutatingCalls()).toEqual([]);
    expect(harness.audits[0]).toMatchObject({ kind: 'failed' });
    expect(harness.audits[0]!.body).toMatch(/NoSuchBucket/);
    expect(harness.audits[0]!.body).toContain('Reason code: not-found');
  });

  it('refuses a bucket another account owns (S3 checks ExpectedBucketOwner) and changes nothing', async () => {
    seedBucket('theirs', { owner: OTHER_ACCOUNT });
    const before = bucketView('theirs');
    const result = await run(dispatchMessage(arn('theirs')));
    expect(result.batchItemFailures).toHaveLength(1);
    expect(harness.sim.mutatingCalls()).toEqual([]);
    expect(bucketView('theirs')).toEqual(before);
    expect(harness.audits[0]).toMatchObject({ kind: 'failed' });
    expect(harness.audits[0]!.body).toContain('Reason code: access-denied');
  });

  it('keeps ACLs on when the bucket ACL grants access beyond its owner, and says why (the deny still holds)', async () => {
    seedBucket('shared-acl');
    harness.sim.s3Buckets.get('shared-acl')!.aclGrantsOthers = true;
    await run(dispatchMessage(arn('shared-acl')));
    expect(bucketView('shared-acl')!.ownership).toBeUndefined();
    expect(await adminMay('s3:GetObject', 'shared-acl', 'x')).toBe('ExplicitlyDenied');
    expect(harness.audits[0]).toMatchObject({ kind: 'contained' });
    expect(harness.audits[0]?.body).toMatch(/ACLs on/);
  });

  it('contains a bucket with ABAC enabled (which refuses PutBucketTagging) and says it stays untagged', async () => {
    seedBucket('abac-bucket', { tags: { team: 'data' } });
    harness.sim.s3Buckets.get('abac-bucket')!.abac = true;
    const result = await run(dispatchMessage(arn('abac-bucket')));
    expect(result.batchItemFailures).toEqual([]);
    expect(await adminMay('s3:GetObject', 'abac-bucket', 'x')).toBe('ExplicitlyDenied');
    expect(harness.audits[0]).toMatchObject({ kind: 'contained' });
    expect(harness.audits[0]!.body).toMatch(/contained, untagged/);
  });

  it('keeps configured break-glass principals out of the deny', async () => {
    seedBucket('data');
    harness.sim.seedAdminRole(MEMBER_ACCOUNT, 'BreakGlass', 'x');
    const breakGlass = `arn:aws:iam::${MEMBER_ACCOUNT}:role/BreakGlass`;
    await harness.invoke(
      handler(settingsEnvironment(descriptor, { s3BreakGlassPrincipals: [breakGlass] })),
      sqsEvent(sqsRecord(dispatchMessage(arn('data')))),
    );
    expect(await harness.sim.bucketDecision(MEMBER_ACCOUNT, 'BreakGlass', 's3:GetObject', 'data', 'x')).toBe('Allowed');
    expect(await adminMay('s3:GetObject', 'data', 'x')).toBe('ExplicitlyDenied');
  });

  it('refuses at cold start a break-glass principal that is not an IAM principal ARN (the descriptor validates it)', () => {
    expect(() => handler({ S3_BREAK_GLASS_PRINCIPALS: '["*"]' })).toThrow(
      /s3-lockdown is not configured: S3_BREAK_GLASS_PRINCIPALS.0: s3BreakGlassPrincipals must be IAM principal ARNs/,
    );
  });

  it('puts the deny back when someone removes it (verify reads the bucket again)', async () => {
    seedBucket('data');
    let removed = false;
    harness.sim.afterCall = (call) => {
      if (!removed && call.operation === 'PutBucketPolicy') {
        removed = true;
        s3('DeleteBucketPolicy', { Bucket: 'data' });
      }
    };
    try {
      await run(dispatchMessage(arn('data')));
    } finally {
      harness.sim.afterCall = undefined;
    }
    expect(bucketView('data')!.policy).toContain(DENY_SID);
  });
});

describe("s3-lockdown: a statement with lockdown's Sid that lockdown did not write", () => {
  // The Sid is in the README: the bucket's owner (or an attacker) may hold a statement under it first.
  const FOREIGN = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Partner',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
        Action: 's3:GetObject',
        Resource: `${arn('data')}/*`,
      },
      { Sid: DENY_SID, Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: arn('data') },
    ],
  });

  it('keeps it through containment and puts the policy back exactly at release', async () => {
    seedBucket('data', { policy: FOREIGN });
    const before = bucketView('data');

    expect(await run(dispatchMessage(arn('data')))).toEqual({ batchItemFailures: [] });

    expect(await adminMay('s3:GetObject', 'data', 'report.csv')).toBe('ExplicitlyDenied');
    const statements = JSON.parse(bucketView('data')!.policy!).Statement as Array<{ Sid: string; Action: string }>;
    expect(statements.filter((s) => s.Sid === DENY_SID)).toEqual([expect.objectContaining({ Action: 's3:DeleteBucket' })]);

    await run(dispatchMessage(arn('data'), { action: 'release' }));
    expect(bucketView('data')).toEqual(before);
  });

  it("is not taken for the containment: a watch tick that finds only it re-applies lockdown's deny", async () => {
    seedBucket('data', { policy: FOREIGN });
    const watch = harness.watched(createS3LockdownHandler, env);
    await watch.deliver(dispatchMessage(arn('data')));
    // Someone puts the bucket's policy back as it was: lockdown's deny is gone, the foreign statement with its Sid is there.
    s3('PutBucketPolicy', { Bucket: 'data', Policy: FOREIGN });
    expect(await adminMay('s3:GetObject', 'data', 'report.csv')).toBe('Allowed');

    await watch.deliver(watch.tick(0));

    expect(await adminMay('s3:GetObject', 'data', 'report.csv')).toBe('ExplicitlyDenied');
    expect(harness.audits.some((a) => a.kind === 'tampered')).toBe(true);
  });
});
