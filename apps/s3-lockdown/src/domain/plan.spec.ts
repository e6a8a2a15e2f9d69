import { CONTAINMENT_TAG } from '@lockdown/contracts';
import { ObservedBucket } from './observed';
import {
  ALL_BLOCKED,
  DENY_SID,
  MAX_BUCKET_POLICY_BYTES,
  containmentPolicy,
  denyStatement,
  freeSid,
  planS3Containment,
  s3ContainmentGaps,
  withoutDeny,
} from './plan';

const ARN = 'arn:aws:s3:::data';
const MEMBER = 'arn:aws:iam::111111111111:role/lockdown-member';
const options = { requestId: 'req-1', exempt: [MEMBER] };
const bucket = (overrides: Partial<ObservedBucket> = {}): ObservedBucket => ({
  name: 'data',
  arn: ARN,
  region: 'eu-west-1',
  policy: null,
  publicAccessBlock: null,
  ownership: null,
  tags: null,
  ...overrides,
});
const policy = (...sids: string[]) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: sids.map((Sid) => ({ Sid, Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${ARN}/*` })),
  });

describe('planS3Containment', () => {
  it.each<[string, Partial<ObservedBucket>, string[]]>([
    ['a bare bucket', {}, ['deny-bucket-policy', 'block-public-access', 'disable-acls', 'tag']],
    [
      'a bucket already fully blocked and owner-enforced',
      { publicAccessBlock: ALL_BLOCKED, ownership: 'BucketOwnerEnforced' },
      ['deny-bucket-policy', 'tag'],
    ],
    [
      'a bucket with one setting of Block Public Access off',
      { publicAccessBlock: { ...ALL_BLOCKED, RestrictPublicBuckets: false } },
      ['deny-bucket-policy', 'block-public-access', 'disable-acls', 'tag'],
    ],
  ])('plans %s', (_case, observed, ids) => {
    expect(planS3Containment(bucket(observed), options).map((s) => s.id)).toEqual(ids);
  });

  it('puts the deny first (stage 0) and the rest after it: with BlockPublicPolicy on, S3 refuses a public policy', () => {
    const stages = Object.fromEntries(planS3Containment(bucket(), options).map((s) => [s.id, s.stage]));
    expect(stages).toEqual({ 'deny-bucket-policy': 0, 'block-public-access': 1, 'disable-acls': 1, tag: 1 });
  });

  it('merges the deny into the existing policy and keeps that policy whole for release', () => {
    const [step] = planS3Containment(bucket({ policy: policy('Partner') }), options);
    expect(step!.original).toBe(policy('Partner'));
    expect(JSON.parse((step!.params as { document: string }).document).Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      'Partner',
      DENY_SID,
    ]);
    expect(step!.calls.undo).toEqual(['s3:PutBucketPolicy']);
  });

  it('records "no policy" as the original when the only statement is lockdown\'s own (a containment seen again)', () => {
    const ours = JSON.stringify({ Version: '2012-10-17', Statement: [denyStatement(ARN, [MEMBER])] });
    const [step] = planS3Containment(bucket({ policy: ours }), options);
    expect(step!.original).toBeNull();
    expect(step!.calls.undo).toEqual(['s3:DeleteBucketPolicy']);
  });

  it('keeps the other tags in the tag set it writes (S3 replaces the whole set) and restores the previous set', () => {
    const tag = planS3Containment(bucket({ tags: { team: 'data' } }), options).find((s) => s.id === 'tag')!;
    expect(tag.params).toEqual({ bucket: 'data', tags: { team: 'data', [CONTAINMENT_TAG]: 'req-1' } });
    expect(tag.original).toEqual({ team: 'data' });
  });
});

describe('the deny statement', () => {
  it('denies every S3 action on the bucket and its objects to every principal but the exempt ones', () => {
    expect(denyStatement(ARN, [MEMBER, 'arn:aws:iam::111111111111:role/BreakGlass'])).toEqual({
      Sid: DENY_SID,
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [ARN, `${ARN}/*`],
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': [MEMBER, 'arn:aws:iam::111111111111:role/BreakGlass'] } },
    });
  });

  it('replaces a policy that cannot take it within 20 KB, and fits otherwise', () => {
    const deny = denyStatement(ARN, [MEMBER]);
    const small = containmentPolicy(policy('A'), deny);
    expect(small.replaced).toBe(false);
    const big = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Big',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: `${ARN}/${'x'.repeat(MAX_BUCKET_POLICY_BYTES - 200)}`,
        },
      ],
    });
    const replaced = containmentPolicy(big, deny);
    expect(replaced.replaced).toBe(true);
    expect(JSON.parse(replaced.document).Statement).toEqual([deny]);
    expect(new TextEncoder().encode(replaced.document).length).toBeLessThanOrEqual(MAX_BUCKET_POLICY_BYTES);
  });

  it('is removed from a policy exactly, leaving the rest as it was', () => {
    const document = { Version: '2012-10-17', Id: 'p', Statement: [{ Sid: 'A', Effect: 'Allow' }, denyStatement(ARN, [MEMBER])] };
    expect(JSON.parse(withoutDeny(JSON.stringify(document), ARN, [MEMBER])!)).toEqual({
      ...document,
      Statement: [{ Sid: 'A', Effect: 'Allow' }],
    });
    expect(withoutDeny(policy('A'), ARN, [MEMBER])).toBe(policy('A'));
    expect(withoutDeny(null, ARN, [MEMBER])).toBeNull();
  });

  it('never takes a statement that merely carries its Sid for its own: kept in the original, and lockdown writes under a free Sid', () => {
    const foreign = { Sid: DENY_SID, Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: ARN };
    const theirs = JSON.stringify({ Version: '2012-10-17', Statement: [foreign] });
    expect(withoutDeny(theirs, ARN, [MEMBER])).toBe(theirs);
    expect(freeSid(theirs)).toBe(`${DENY_SID}2`);
    const [step] = planS3Containment(bucket({ policy: theirs }), options);
    expect(step!.original).toBe(theirs);
    expect(JSON.parse((step!.params as { document: string }).document).Statement).toEqual([
      foreign,
      denyStatement(ARN, [MEMBER], `${DENY_SID}2`),
    ]);
    // Only lockdown's own statement counts as the containment.
    expect(s3ContainmentGaps({ ...bucket({ policy: theirs }) }, [step!])).toEqual([
      `lockdown's deny statement ${DENY_SID}2 is missing from the bucket policy of data`,
    ]);
    expect(s3ContainmentGaps({ ...bucket({ policy: (step!.params as { document: string }).document }) }, [step!])).toEqual([]);
  });
});
