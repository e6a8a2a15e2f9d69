import { AuditEventSchema } from '@lockdown/contracts';
import { DEFAULT_TRIGGER_RULES, TRIGGER_PATTERNS } from '@lockdown/findings';
import { guardDutyFindingEvent, matchesPattern, sequenceActor, sequenceResource } from '@lockdown/sandbox';
import { setup } from '../test/harness';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';

// Panther's published attack sequences (panther-labs/panther-analysis, rules/aws_guardduty_rules/
// aws_guardduty_critical_sev_findings, tests "Critical Sev Finding" and "Critical Sev Finding As Sample Data"):
// `resource.resourceType` is `AttackSequence`, severity 9, featureName Correlation. Their sequence block is
// not published; ours follows the API's Sequence (https://docs.aws.amazon.com/guardduty/latest/APIReference/API_Sequence.html).
const pantherSequence = (additionalInfo: object, sequence: object) => ({
  version: '0',
  id: 'e-seq',
  'detail-type': 'GuardDuty Finding',
  source: 'aws.guardduty',
  account: '123456789012',
  time: '2025-02-25T20:40:06Z',
  region: 'us-east-1',
  resources: [],
  detail: {
    accountId: '123456789012',
    arn: 'arn:aws:guardduty:us-east-1:123456789012:detector/111111bbbbbbbbbb5555555551111111/finding/8c258d654378414b9bc26f61a93eb816',
    createdAt: '2025-02-25 20:40:06.721',
    id: '8c258d654378414b9bc26f61a93eb816',
    partition: 'aws',
    region: 'us-east-1',
    resource: { resourceType: 'AttackSequence' },
    schemaVersion: '2.0',
    service: {
      additionalInfo,
      archived: false,
      count: 1,
      detectorId: '111111bbbbbbbbbb5555555551111111',
      featureName: 'Correlation',
      resourceRole: 'TARGET',
      serviceName: 'guardduty',
      detection: { sequence: { uid: 's-1', description: 'a sequence', signals: [], ...sequence } },
    },
    severity: 9,
    title: 'Potential credential compromise of IAMUser/john_doe indicated by a sequence of actions.',
    type: 'AttackSequence:IAM/CompromisedCredentials',
    updatedAt: '2025-02-25 20:40:06.721',
  },
});
const johnDoe = { actors: [sequenceActor.user('john_doe', '123456789012')] };
const containSequences = (maxEntitiesPerFinding?: number) => ({
  rules: [{ types: ['AttackSequence:*'], minSeverity: 9, decision: 'contain' }, ...DEFAULT_TRIGGER_RULES],
  ...(maxEntitiesPerFinding ? { maxEntitiesPerFinding } : {}),
});

describe('GuardDuty attack sequences', () => {
  it("reach the triggers: the GuardDuty rule's pattern matches an attack sequence (its resource type is AttackSequence)", () => {
    expect(matchesPattern(TRIGGER_PATTERNS.guardDuty, pantherSequence({}, johnDoe))).toBe(true);
  });

  it('are suggested by default: SUGGESTED for each entity, the finding noted, nothing published', async () => {
    const { triggers, published, notes, audits } = setup();
    const results = await triggers.handle(pantherSequence({}, johnDoe));
    expect(results).toEqual([{ kind: 'suggested', arns: ['arn:aws:iam::123456789012:user/john_doe'] }]);
    expect(published).toEqual([]);
    expect(audits).toEqual([
      expect.objectContaining({ kind: 'suggested', detail: expect.stringMatching(/AttackSequence:IAM\/CompromisedCredentials.*rule \d+/) }),
    ]);
    expect(notes).toEqual([expect.objectContaining({ text: expect.stringMatching(/^lockdown suggests containing iam-user john_doe/) })]);
  });

  it('a published sample attack sequence is IGNORED as a sample, even under a policy that contains every sequence', async () => {
    const { triggers, published, audits } = setup({ policy: containSequences() });
    const results = await triggers.handle(pantherSequence({ sample: true, type: 'default', value: '{"sample":true}' }, johnDoe));
    expect(results).toEqual([{ kind: 'ignored', reason: expect.stringMatching(/sample/) }]);
    expect([published.length, audits.map((a) => a.code)]).toEqual([0, ['sample-finding']]);
  });

  it('contained where the policy says: one request per actor, user or session, with the finding', async () => {
    const { triggers, published } = setup({ policy: containSequences() });
    const event = pantherSequence(
      {},
      {
        actors: [sequenceActor.user('john_doe', '123456789012'), sequenceActor.session('app', 'AROAEXAMPLE', 'i-0abc', '123456789012')],
      },
    );
    const [result] = await triggers.handle(event);
    expect(result).toMatchObject({ kind: 'requested', action: 'contain' });
    expect(published).toEqual([
      {
        arns: ['arn:aws:iam::123456789012:user/john_doe', 'arn:aws:sts::123456789012:assumed-role/app/i-0abc'],
        options: expect.objectContaining({
          ticket: '8c258d654378414b9bc26f61a93eb816',
          requestedBy: 'lockdown triggers (findings policy)',
          finding: { id: event.detail.arn, productArn: 'arn:aws:securityhub:us-east-1::product/aws/guardduty' },
        }),
      },
    ]);
  });

  it('an instance group above the cap is suggested whole: one SUGGESTED record that says so, nothing contained', async () => {
    const { triggers, published, audits, notes } = setup({ policy: containSequences(3) });
    const ids = ['a', 'b', 'c', 'd'].map((c) => `i-0${c.repeat(16)}`);
    const event = guardDutyFindingEvent({
      type: 'AttackSequence:EC2/CompromisedInstanceGroup',
      severity: 9,
      accountId: ACCOUNT,
      region: REGION,
      resource: { resourceType: 'AttackSequence' },
      sequence: {
        resources: [
          sequenceResource.instance(ids[0]!, ACCOUNT, REGION),
          sequenceResource.autoScalingGroup('web', ids, ACCOUNT, REGION),
          sequenceResource.vpc('vpc-1', ACCOUNT),
        ],
      },
    });
    const results = await triggers.handle(event);
    expect(results).toEqual([{ kind: 'suggested', arns: ids.map((id) => `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${id}`) }]);
    expect(published).toEqual([]);
    expect(audits).toEqual([
      expect.objectContaining({
        kind: 'suggested',
        code: 'over-entity-cap',
        target: (event.detail as { id: string }).id,
        detail: expect.stringMatching(/names 4 entities, more than one finding may contain at once \(maxEntitiesPerFinding 3\)/),
      }),
    ]);
    expect(AuditEventSchema.safeParse(audits[0]).success).toBe(true);
    expect(notes).toHaveLength(1);
  });

  it('at the cap, every instance of the group is contained', async () => {
    const { triggers, published } = setup({ policy: containSequences(2) });
    const ids = ['i-0aaaaaaaaaaaaaaaa', 'i-0bbbbbbbbbbbbbbbb'];
    await triggers.handle(
      guardDutyFindingEvent({
        type: 'AttackSequence:EC2/CompromisedInstanceGroup',
        severity: 9,
        accountId: ACCOUNT,
        region: REGION,
        resource: { resourceType: 'AttackSequence' },
        sequence: { resources: [sequenceResource.autoScalingGroup('web', ids, ACCOUNT, REGION)] },
      }),
    );
    expect(published.map((p) => p.arns)).toEqual([ids.map((id) => `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${id}`)]);
  });

  it('an EKS cluster sequence is ignored by default (lockdown contains no cluster); contained by policy it is REJECTED with the reason', async () => {
    const eks = guardDutyFindingEvent({
      type: 'AttackSequence:EKS/CompromisedCluster',
      severity: 9,
      accountId: ACCOUNT,
      region: REGION,
      resource: { resourceType: 'AttackSequence' },
      sequence: { resources: [] },
    });
    const byDefault = setup();
    expect(await byDefault.triggers.handle(eks)).toEqual([{ kind: 'ignored', reason: expect.stringMatching(/ignore by rule/) }]);
    expect(byDefault.audits).toEqual([]);
    const contained = setup({ policy: containSequences() });
    expect(await contained.triggers.handle(eks)).toEqual([{ kind: 'rejected', reason: expect.stringMatching(/contains no cluster/) }]);
    expect(contained.audits.map((a) => a.code)).toEqual(['unsupported-finding']);
  });

  it('an Identity Center actor is named in the suggestion as what lockdown cannot contain', async () => {
    const { triggers, audits } = setup();
    await triggers.handle(
      pantherSequence(
        {},
        { actors: [...johnDoe.actors, { id: 'x', user: { name: 'jane@example.com', uid: 'u-1', type: 'IdentityCenterUser' } }] },
      ),
    );
    expect(audits[0]?.detail).toMatch(/not for lockdown: the IAM Identity Center user jane@example.com/);
  });
});
