import { TRIGGER_PATTERNS, customActionArn } from '@lockdown/findings';
import { asffFinding, customActionEvent, guardDutyFindingEvent, guardDutyResource, matchesPattern } from '@lockdown/sandbox';
import { setup } from '../test/harness';

// GuardDuty's "Generate sample findings" (https://docs.aws.amazon.com/guardduty/latest/ug/sample_findings.html)
// makes one finding per type with placeholder resources, marked in service.additionalInfo. Published
// samples show three shapes of that mark, all handled:
//  - `"additionalInfo": { "sample": true }`: panther-labs/panther-analysis,
//    rules/aws_guardduty_rules/aws_guardduty_high_sev_findings.yml ("High Sev Finding As Sample Data", verbatim below);
//  - `{ "sample": true, "type": "default", "value": "{\"sample\":true}" }` (the API's ServiceAdditionalInfo Value/Type
//    beside it): panther-labs/panther-analysis, rules/aws_guardduty_rules/aws_guardduty_critical_sev_findings.yml;
//  - `{ "sample": "True" }`, a string: mozilla/MozDef, tests/mq/plugins/test_guardduty.py (the TorClient sample).
const pantherHighSevSample = {
  schemaVersion: '2.0',
  accountId: '123456789012',
  region: 'us-east-1',
  partition: 'aws',
  arn: 'arn:aws:guardduty:us-west-2:123456789012:detector/111111bbbbbbbbbb5555555551111111/finding/90b82273685661b9318f078d0851fe9a',
  type: 'PrivilegeEscalation:IAMUser/AdministrativePermissions',
  service: {
    serviceName: 'guardduty',
    detectorId: '111111bbbbbbbbbb5555555551111111',
    action: {
      actionType: 'AWS_API_CALL',
      awsApiCallAction: {
        api: 'PutRolePolicy',
        serviceName: 'iam.amazonaws.com',
        callerType: 'Domain',
        domainDetails: { domain: 'cloudformation.amazonaws.com' },
        affectedResources: { 'AWS::IAM::Role': 'arn:aws:iam::123456789012:role/IAMRole' },
      },
    },
    resourceRole: 'TARGET',
    additionalInfo: { sample: true },
    evidence: null,
    eventFirstSeen: '2020-02-14T17:59:17Z',
    eventLastSeen: '2020-02-14T17:59:17Z',
    archived: false,
    count: 1,
  },
  severity: 8,
  id: 'eeb88ab56556eb7771b266670dddee5a',
  createdAt: '2020-02-14T18:12:22.316Z',
  updatedAt: '2020-02-14T18:12:22.316Z',
  title: 'Principal AssumedRole:IAMRole attempted to add a policy to themselves that is highly permissive.',
  description: 'Principal AssumedRole:IAMRole attempted to add a highly permissive policy to themselves.',
};
const envelope = (detail: object) => ({
  version: '0',
  id: 'cd2d702e-ab31-411b-9344-793ce56b1bc7',
  'detail-type': 'GuardDuty Finding',
  source: 'aws.guardduty',
  account: '123456789012',
  time: '2020-02-14T18:12:22Z',
  region: 'us-east-1',
  resources: [],
  detail,
});
const containEverything = { rules: [{ types: ['*'], minSeverity: 0, decision: 'contain' }] };
const ACCOUNT = '111111111111';
const REGION = 'us-east-1';

describe('GuardDuty sample findings are never acted on', () => {
  it.each<[string, unknown]>([
    ["Panther's published sample (sample: true, no resource block)", pantherHighSevSample.service.additionalInfo],
    ["Panther's critical sample (sample beside the API's Value/Type)", { sample: true, type: 'default', value: '{"sample":true}' }],
    ["the API's shape only (Value/Type, the value JSON)", { type: 'default', value: '{"sample":true}' }],
    ["MozDef's published sample (a string)", { sample: 'True' }],
  ])('%s: IGNORED as a sample, audited with the finding id, nothing published or noted', async (_name, additionalInfo) => {
    // Arrange: a policy that would contain anything, on an instance GuardDuty's rule sends
    const { triggers, published, notes, audits } = setup({ policy: containEverything });
    const event = envelope({
      ...pantherHighSevSample,
      resource: guardDutyResource.instance('i-99999999'),
      service: { ...pantherHighSevSample.service, additionalInfo },
    });
    // Act
    const results = await triggers.handle(event);
    // Assert
    expect(matchesPattern(TRIGGER_PATTERNS.guardDuty, event)).toBe(true);
    expect(results).toEqual([{ kind: 'ignored', reason: expect.stringMatching(/sample/) }]);
    expect([published, notes]).toEqual([[], []]);
    expect(audits).toEqual([
      expect.objectContaining({
        kind: 'ignored',
        code: 'sample-finding',
        target: pantherHighSevSample.arn,
        detail: expect.stringMatching(/sample/),
      }),
    ]);
  });

  it("ignores Panther's published sample exactly as published (no resource block: still a sample, not a malformed finding)", async () => {
    const { triggers, audits } = setup({ policy: containEverything });
    const [result] = await triggers.handle(envelope(pantherHighSevSample));
    expect(result?.kind).toBe('ignored');
    expect(audits.map((a) => [a.kind, a.code])).toEqual([['ignored', 'sample-finding']]);
  });

  it.each<[string, unknown]>([
    ['no mark', {}],
    ['sample false', { sample: false }],
    ['a value without the mark', { type: 'default', value: '{"unusual":25}' }],
    ['a value that is not JSON', { type: 'default', value: 'sample' }],
  ])('acts on a real finding (%s)', async (_name, additionalInfo) => {
    const { triggers, published } = setup({ policy: containEverything });
    const event = guardDutyFindingEvent({
      type: 'CryptoCurrency:EC2/BitcoinTool.B!DNS',
      severity: 8,
      accountId: ACCOUNT,
      region: REGION,
      resource: guardDutyResource.instance('i-0123456789abcdef0'),
    });
    const detail = event.detail as { service: Record<string, unknown> };
    detail.service['additionalInfo'] = additionalInfo;
    const [result] = await triggers.handle(event);
    expect(result?.kind).toBe('requested');
    expect(published).toHaveLength(1);
  });
});

// A custom action's event as AWS documents it (awsdocs/aws-security-hub-user-guide,
// doc_source/securityhub-cwe-event-formats.md, "Security Hub Findings - Custom Action"); ASFF marks a
// sample finding with the top-level `Sample` attribute (https://docs.aws.amazon.com/securityhub/latest/userguide/asff-top-level-attributes.html#asff-sample),
// a field of AwsSecurityFinding in Security Hub's model (@aws-sdk/client-securityhub). GuardDuty's own
// samples also carry it as the product field `aws/guardduty/service/additionalInfo/sample` ("true": ASFF
// product fields are strings).
describe('Security Hub sample findings are never acted on', () => {
  const containArn = customActionArn('aws', REGION, ACCOUNT, 'contain');
  const alice = { Type: 'AwsIamUser', Id: `arn:aws:iam::${ACCOUNT}:user/alice` };

  it.each<[string, object]>([
    ['Sample: true', { Sample: true }],
    ["GuardDuty's product field", { ProductFields: { 'aws/guardduty/service/additionalInfo/sample': 'true' } }],
  ])('%s: that finding IGNORED and audited, the real one beside it contained', async (_name, mark) => {
    const { triggers, published, audits } = setup();
    const sample = { ...asffFinding(ACCOUNT, REGION, [alice]), ...mark };
    const real = asffFinding(ACCOUNT, REGION, [{ Type: 'AwsIamUser', Id: `arn:aws:iam::${ACCOUNT}:user/bob` }]);
    const results = await triggers.handle(customActionEvent(containArn, [sample, real], REGION, ACCOUNT));
    expect(results.map((r) => r.kind)).toEqual(['ignored', 'requested']);
    expect(published.map((p) => p.arns)).toEqual([[`arn:aws:iam::${ACCOUNT}:user/bob`]]);
    expect(audits).toEqual([expect.objectContaining({ kind: 'ignored', code: 'sample-finding', target: sample.Id })]);
  });
});
