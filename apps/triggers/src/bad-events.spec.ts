import fc from 'fast-check';
import { AuditEventSchema } from '@lockdown/contracts';
import { customActionArn } from '@lockdown/findings';
import { activeSumoFinding, asffFinding, customActionEvent } from '@lockdown/sandbox';
import { setup } from '../test/harness';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const CONTAIN = customActionArn('aws', REGION, ACCOUNT, 'contain');
const action = (detail: unknown, resources: unknown = [CONTAIN]) => ({
  id: 'e1',
  source: 'aws.securityhub',
  'detail-type': 'Security Hub Findings - Custom Action',
  resources,
  detail,
});
const v2 = (detail: unknown) => ({ id: 'e1', source: 'aws.securityhub', 'detail-type': 'Findings Imported V2', detail });
const contained = {
  kind: 'contained',
  requestId: 'msg-1',
  source: 'iam-lockdown',
  at: '2026-01-01T00:00:00.000Z',
  detail: 'contained and verified',
};

describe('an event lockdown cannot act on: REJECTED with the reason, never an exception', () => {
  it.each<[string, unknown, RegExp]>([
    ['null', null, /not an EventBridge event/],
    ['a string', 'GuardDuty Finding', /not an EventBridge event/],
    ['an array', [{ source: 'aws.guardduty' }], /not an EventBridge event/],
    ['an event without a source', { id: 'e1', 'detail-type': 'GuardDuty Finding', detail: {} }, /source/],
    ['an unknown source', { id: 'e1', source: 'aws.s3', 'detail-type': 'Object Created', detail: {} }, /aws\.s3.*Object Created/],
    [
      'an unknown detail-type of a known source',
      { id: 'e1', source: 'aws.securityhub', 'detail-type': 'Security Hub Findings - Imported', detail: { findings: [] } },
      /Security Hub Findings - Imported/,
    ],
    ['a GuardDuty event without a detail', { id: 'e1', source: 'aws.guardduty', 'detail-type': 'GuardDuty Finding' }, /GuardDuty/],
    [
      'a GuardDuty event with a null detail',
      { id: 'e1', source: 'aws.guardduty', 'detail-type': 'GuardDuty Finding', detail: null },
      /GuardDuty/,
    ],
    ['a custom action with a null detail', action(null), /findings/],
    ['a Findings Imported V2 event with a null detail', v2(null), /findings is not a list/],
    ['a Findings Imported V2 event whose findings is an object', v2({ findings: { metadata: {} } }), /findings is not a list/],
    ['a Findings Imported V2 event with no findings', v2({ findings: [] }), /no findings/],
    ['a Findings Imported V2 finding that is not an object', v2({ findings: [42] }), /OCSF finding 1 of 1 is not an object/],
    ['an OCSF finding without its metadata', v2({ findings: [{ finding_info: { uid: 'f' } }] }), /not OCSF lockdown can read.*metadata/],
    [
      'an OCSF finding whose resources is not a list',
      v2({ findings: [{ ...activeSumoFinding(), resources: 'all' }] }),
      /not OCSF lockdown can read.*resources/,
    ],
    ['a custom action whose findings is not an array', action({ findings: 'all of them' }), /findings is not a list/],
    ['a custom action with no findings', action({ findings: [] }), /no findings/],
    ['a custom action without resources', action({ findings: [] }, null), /not lockdown's/],
    [
      "a custom action that is not lockdown's",
      action({ findings: [] }, [`arn:aws:securityhub:${REGION}:${ACCOUNT}:action/custom/other`]),
      /action\/custom\/other.*not lockdown's/,
    ],
    [
      'an outcome event that does not parse',
      { id: 'e1', source: 'lockdown', 'detail-type': 'Lockdown Contained', detail: { kind: 'x' } },
      /not a lockdown audit record/,
    ],
    [
      'an outcome event without the finding to write back to',
      { id: 'e1', source: 'lockdown', 'detail-type': 'Lockdown Contained', detail: contained },
      /no finding/,
    ],
  ])('%s', async (_name, event, reason) => {
    // Arrange
    const { triggers, published, notes, audits } = setup();
    // Act
    const results = await triggers.handle(event);
    // Assert
    expect(results).toEqual([{ kind: 'rejected', reason: expect.stringMatching(reason) }]);
    expect([published, notes]).toEqual([[], []]);
    expect(audits).toEqual([expect.objectContaining({ kind: 'rejected', source: 'triggers', detail: expect.stringMatching(reason) })]);
    expect(AuditEventSchema.safeParse(audits[0]).success).toBe(true);
  });

  it("rejects lockdown's release action while it is off (a forged or stale event): audited with its code, nothing published", async () => {
    const { triggers, published, notes, audits } = setup({ releaseAction: false });
    const user = asffFinding(ACCOUNT, REGION, [{ Type: 'AwsIamUser', Id: `arn:aws:iam::${ACCOUNT}:user/alice` }]);
    const results = await triggers.handle(customActionEvent(customActionArn('aws', REGION, ACCOUNT, 'release'), [user], REGION, ACCOUNT));
    expect(results).toEqual([{ kind: 'rejected', reason: expect.stringMatching(/release action is off \(triggers.securityHubRelease\)/) }]);
    expect([published, notes]).toEqual([[], []]);
    expect(audits).toEqual([expect.objectContaining({ kind: 'rejected', code: 'release-action-off' })]);
  });

  it('records the REJECTED audit before the note on the finding: a note Security Hub refuses leaves the record, then fails to be retried', async () => {
    const { triggers, audits } = setup({ notesFail: true });
    const root = asffFinding(ACCOUNT, REGION, [{ Type: 'AwsIamRole', Id: `arn:aws:iam::${ACCOUNT}:root` }]);
    await expect(triggers.handle(customActionEvent(CONTAIN, [root], REGION, ACCOUNT))).rejects.toThrow(/Security Hub is not enabled/);
    expect(audits).toEqual([expect.objectContaining({ kind: 'rejected', code: 'unsupported-finding' })]);
  });

  it('rejects each finding entry that is not an object, and still acts on the others', async () => {
    const { triggers, published, audits } = setup();
    const user = asffFinding(ACCOUNT, REGION, [{ Type: 'AwsIamUser', Id: `arn:aws:iam::${ACCOUNT}:user/alice` }]);
    const results = await triggers.handle(customActionEvent(CONTAIN, [null, 'x', user] as object[], REGION, ACCOUNT));
    expect(results.map((r) => r.kind)).toEqual(['rejected', 'rejected', 'requested']);
    expect(published.map((p) => p.arns)).toEqual([[`arn:aws:iam::${ACCOUNT}:user/alice`]]);
    expect(audits.map((a) => [a.kind, a.detail])).toEqual([
      ['rejected', expect.stringMatching(/finding 1 of 3.*not an object/)],
      ['rejected', expect.stringMatching(/finding 2 of 3.*not an object/)],
    ]);
  });
});

describe('any JSON at all (generated)', () => {
  const sources = fc.constantFrom('aws.guardduty', 'aws.securityhub', 'lockdown', 'aws.s3');
  const detailTypes = fc.constantFrom(
    'GuardDuty Finding',
    'Security Hub Findings - Custom Action',
    'Findings Imported V2',
    'Lockdown Contained',
    'Lockdown Failed',
    'x',
  );
  const published = activeSumoFinding();
  const ocsf = fc
    .record(Object.fromEntries(Object.keys(published).map((key) => [key, fc.jsonValue()])) as Record<string, fc.Arbitrary<unknown>>, {
      requiredKeys: [],
    })
    .map((broken) => ({ ...published, ...broken }));
  const shaped = fc.record(
    {
      id: fc.oneof(fc.string(), fc.jsonValue()),
      source: fc.oneof(sources, fc.jsonValue()),
      'detail-type': fc.oneof(detailTypes, fc.jsonValue()),
      resources: fc.oneof(fc.constant([CONTAIN]), fc.jsonValue()),
      detail: fc.oneof(
        fc.jsonValue(),
        fc.record({ findings: fc.oneof(fc.array(fc.jsonValue(), { maxLength: 4 }), fc.jsonValue()) }, { requiredKeys: [] }),
        fc.record({ service: fc.record({ additionalInfo: fc.jsonValue(), archived: fc.jsonValue() }, { requiredKeys: [] }) }),
        // OCSF findings with any part broken: a published one's parts replaced by any JSON.
        fc.record({ findings: fc.array(ocsf, { maxLength: 3 }) }),
      ),
    },
    { requiredKeys: [] },
  );

  it('never throws, and every result that is not a deliberate drop has its audit record', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), shaped), async (event) => {
        const { triggers, audits } = setup();
        const results = await triggers.handle(event);
        expect(results.length).toBeGreaterThan(0);
        const audited = results.filter((r) => r.kind === 'rejected' || r.kind === 'suggested' || r.kind === 'ignored');
        expect(audits.length).toBeGreaterThanOrEqual(audited.filter((r) => r.kind !== 'ignored' || /sample/.test(r.reason)).length);
        for (const a of audits) expect(AuditEventSchema.safeParse(a).success).toBe(true);
        runs += 1;
      }),
      { numRuns: 300 },
    );
    expect(runs).toBe(300);
  });
});
