import type { AwsIamAccessKeyDetails, AwsSecurityFinding, Resource, ResourceDetails } from '@aws-sdk/client-securityhub';
import { AuditEvent } from '@lockdown/contracts';
import { AsffAccessKeySchema, AsffFindingSchema, AsffResourceSchema, TRIGGER_PATTERNS, customActionArn } from '@lockdown/findings';
import { asffFinding, customActionEvent, guardDutyFindingEvent, guardDutyResource, matchesPattern } from '@lockdown/sandbox';
import { setup } from '../test/harness';
import { BusEvent } from './triggers';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';

const gd = (type: string, severity: number, resource: Record<string, unknown>, archived = false) =>
  guardDutyFindingEvent({ type, severity, accountId: ACCOUNT, region: REGION, resource, archived }) as BusEvent;

describe('GuardDuty findings, as the default policy decides', () => {
  it.each([
    [
      'stolen instance credentials used outside AWS: that session only',
      gd(
        'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
        8,
        guardDutyResource.sessionKey('app', 'AROAEXAMPLE', 'i-0abc'),
      ),
      'requested',
      [`arn:aws:sts::${ACCOUNT}:assumed-role/app/i-0abc`],
    ],
    [
      'a mining instance (high)',
      gd('CryptoCurrency:EC2/BitcoinTool.B!DNS', 8, guardDutyResource.instance('i-0123456789abcdef0')),
      'requested',
      [`arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123456789abcdef0`],
    ],
    [
      'a function calling a command-and-control server (high)',
      gd('Backdoor:Lambda/C&CActivity.B', 8, guardDutyResource.lambda(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:pay`)),
      'requested',
      [`arn:aws:lambda:${REGION}:${ACCOUNT}:function:pay`],
    ],
    [
      'a medium mining finding: suggested only',
      gd('CryptoCurrency:EC2/BitcoinTool.B', 5, guardDutyResource.instance('i-0123456789abcdef0')),
      'suggested',
      [`arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123456789abcdef0`],
    ],
    [
      'a type with no rule (a user key used anomalously): suggested',
      gd('Discovery:IAMUser/AnomalousBehavior', 2, guardDutyResource.userKey('alice')),
      'suggested',
      [`arn:aws:iam::${ACCOUNT}:user/alice`],
    ],
    [
      'a bucket finding: suggested, with the owner account',
      gd('Exfiltration:S3/AnomalousBehavior', 8, guardDutyResource.bucket('customer-data')),
      'suggested',
      ['arn:aws:s3:::customer-data'],
    ],
  ])('%s', async (_name, event, kind, arns) => {
    // Arrange
    const { triggers, published, notes, audits } = setup();
    // Act
    const [result] = await triggers.handle(event);
    // Assert
    expect(result?.kind).toBe(kind);
    expect(matchesPattern(TRIGGER_PATTERNS.guardDuty, event)).toBe(true);
    const finding = { id: (event.detail as { arn: string }).arn, productArn: `arn:aws:securityhub:${REGION}::product/aws/guardduty` };
    if (kind === 'requested') {
      expect(published).toEqual([{ arns, options: expect.objectContaining({ action: 'contain', finding }) }]);
      expect(notes).toEqual([
        expect.objectContaining({ findings: [finding], workflow: 'NOTIFIED', text: expect.stringContaining('msg-1') }),
      ]);
      expect(audits).toEqual([]);
    } else {
      expect(published).toEqual([]);
      expect(audits.map((a) => [a.kind, a.entity?.arn, a.request?.finding])).toEqual(arns.map((arn) => ['suggested', arn, finding]));
      // Nothing was contained, so there is nothing to release: the email says how to contain instead.
      expect(audits.map((a) => a.release)).toEqual(arns.map(() => undefined));
      expect(audits[0]!.detail).toContain(`lockdown contain ${arns[0]}`);
      expect(notes).toEqual([
        expect.objectContaining({ findings: [finding], text: expect.stringContaining('lockdown suggests containing') }),
      ]);
      expect(notes[0]?.workflow).toBeUndefined();
    }
  });

  it('does nothing for an archived (or suppressed) finding', async () => {
    const { triggers, published, notes, audits } = setup();
    const [result] = await triggers.handle(
      gd('CryptoCurrency:EC2/BitcoinTool.B!DNS', 8, guardDutyResource.instance('i-0123456789abcdef0'), true),
    );
    expect(result?.kind).toBe('ignored');
    expect([published, notes, audits]).toEqual([[], [], []]);
  });

  it('follows a configured policy: ignore a type, contain at a lower severity', async () => {
    const { triggers, published } = setup({
      policy: {
        rules: [
          { types: ['Recon:*'], minSeverity: 0, decision: 'ignore' },
          { types: ['CryptoCurrency:EC2/*'], minSeverity: 4, decision: 'contain' },
        ],
      },
    });
    const [recon] = await triggers.handle(gd('Recon:EC2/Portscan', 5, guardDutyResource.instance('i-0123456789abcdef0')));
    const [mining] = await triggers.handle(gd('CryptoCurrency:EC2/BitcoinTool.B', 5, guardDutyResource.instance('i-0123456789abcdef0')));
    expect([recon?.kind, mining?.kind]).toEqual(['ignored', 'requested']);
    expect(published).toHaveLength(1);
  });

  it('refuses a finding whose resource lockdown cannot contain (root credentials): audited and noted with the reason, nothing published', async () => {
    const { triggers, published, notes, audits } = setup();
    const event = gd('Policy:IAMUser/RootCredentialUsage', 2, {
      resourceType: 'AccessKey',
      accessKeyDetails: { userName: 'Root', userType: 'Root' },
    });
    const [result] = await triggers.handle(event);
    expect(result?.kind).toBe('rejected');
    expect(published).toEqual([]);
    expect(notes[0]?.text).toMatch(/nothing to act on.*Root/);
    expect(audits.map((a) => [a.kind, a.code])).toEqual([['rejected', 'unsupported-finding']]);
    expect(audits[0]!.detail).toMatch(/Root/);
  });

  it('audits a malformed finding as rejected, with the reason, and publishes nothing', async () => {
    const { triggers, published, audits } = setup();
    const [result] = await triggers.handle({
      id: 'e1',
      source: 'aws.guardduty',
      'detail-type': 'GuardDuty Finding',
      detail: { type: 'x' },
    });
    expect(result?.kind).toBe('rejected');
    expect(published).toEqual([]);
    expect(audits.map((a) => [a.kind, a.code])).toEqual([['rejected', 'malformed-event']]);
    expect(audits[0]!.detail).toMatch(/not a GuardDuty finding lockdown can read/);
  });

  it('fails the invocation when the ingress topic refuses a request (retried, then the DLQ), before noting anything', async () => {
    const { triggers, notes } = setup({ refuse: true });
    await expect(
      triggers.handle(gd('CryptoCurrency:EC2/BitcoinTool.B!DNS', 8, guardDutyResource.instance('i-0123456789abcdef0'))),
    ).rejects.toThrow(/refused .*KMS.Throttling/);
    expect(notes).toEqual([]);
  });
});

describe('Security Hub custom actions', () => {
  const containArn = customActionArn('aws', REGION, ACCOUNT, 'contain');
  const releaseArn = customActionArn('aws', REGION, ACCOUNT, 'release');

  it('contains every supported resource of each selected finding and writes the request back', async () => {
    // Arrange
    const { triggers, published, notes } = setup();
    const user = asffFinding(ACCOUNT, REGION, [{ Type: 'AwsIamUser', Id: `arn:aws:iam::${ACCOUNT}:user/alice` }]);
    const key = asffFinding(ACCOUNT, REGION, [
      {
        Type: 'AwsIamAccessKey',
        Id: 'AWS::IAM::AccessKey:ASIAEXAMPLE',
        Details: { AwsIamAccessKey: { PrincipalType: 'AssumedRole', PrincipalName: 'app', PrincipalId: 'AROAEXAMPLE:stolen' } },
      },
      { Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::customer-data' },
    ]);
    const event = customActionEvent(containArn, [user, key], REGION, ACCOUNT) as BusEvent;
    // Act
    const results = await triggers.handle(event);
    // Assert
    expect(matchesPattern(TRIGGER_PATTERNS.customActions([containArn, releaseArn]), event)).toBe(true);
    expect(results.map((r) => r.kind)).toEqual(['requested', 'requested']);
    expect(published.map((p) => [p.arns, p.options.action, p.options.finding?.id])).toEqual([
      [[`arn:aws:iam::${ACCOUNT}:user/alice`], 'contain', user.Id],
      [[`arn:aws:sts::${ACCOUNT}:assumed-role/app/stolen`, 'arn:aws:s3:::customer-data'], 'contain', key.Id],
    ]);
    expect(notes.map((n) => [n.findings[0]?.id, n.workflow])).toEqual([
      [user.Id, 'NOTIFIED'],
      [key.Id, 'NOTIFIED'],
    ]);
  });

  it('releases with the release action', async () => {
    const { triggers, published } = setup();
    const user = asffFinding(ACCOUNT, REGION, [{ Type: 'AwsIamUser', Id: `arn:aws:iam::${ACCOUNT}:user/alice` }]);
    await triggers.handle(customActionEvent(releaseArn, [user], REGION, ACCOUNT) as BusEvent);
    expect(published.map((p) => p.options.action)).toEqual(['release']);
  });

  it('rejects, audits and notes a finding with no supported resource', async () => {
    const { triggers, published, audits, notes } = setup();
    const vpc = asffFinding(ACCOUNT, REGION, [{ Type: 'AwsEc2Vpc', Id: `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-1` }]);
    const [result] = await triggers.handle(customActionEvent(containArn, [vpc], REGION, ACCOUNT) as BusEvent);
    expect(result?.kind).toBe('rejected');
    expect(published).toEqual([]);
    expect(audits[0]?.detail).toMatch(/vpc-1/);
    expect(notes[0]?.text).toMatch(/nothing to act on/);
  });
});

describe('outcomes written back to the finding', () => {
  it('notes an outcome of a request that came from a finding (and the rule matches only those)', async () => {
    const { triggers, notes } = setup();
    const finding = {
      id: 'arn:aws:guardduty:us-east-1:111111111111:detector/d/finding/f',
      productArn: 'arn:aws:securityhub:us-east-1::product/aws/guardduty',
    };
    const detail: AuditEvent = {
      kind: 'contained',
      requestId: 'msg-1',
      source: 'ec2-isolation',
      at: new Date().toISOString(),
      entity: {
        type: 'ec2-instance',
        arn: 'arn:aws:ec2:us-east-1:111111111111:instance/i-1',
        accountId: ACCOUNT,
        region: REGION,
        name: 'i-1',
      },
      request: { finding },
      detail: 'contained and verified',
    };
    const event = { id: 'e', source: 'lockdown', 'detail-type': 'Lockdown Contained', detail };
    await triggers.handle(event);
    expect(notes).toEqual([{ findings: [finding], text: 'lockdown CONTAINED: ec2-instance i-1: contained and verified (request msg-1)' }]);
    expect(matchesPattern(TRIGGER_PATTERNS.outcomes, event)).toBe(true);
    expect(matchesPattern(TRIGGER_PATTERNS.outcomes, { ...event, detail: { ...detail, request: {} } })).toBe(false);
    expect(matchesPattern(TRIGGER_PATTERNS.outcomes, { ...event, 'detail-type': 'Lockdown Received' })).toBe(false);
  });
});

// The ASFF fields lockdown reads exist in Security Hub's own model (the SDK's types, generated from
// the service's API definition): a misspelt or invented field fails the type check.
type Unknown<Ours, Theirs> = Exclude<Ours, keyof Theirs>;
const asffFieldsExist: [
  Unknown<keyof typeof AsffFindingSchema.shape, AwsSecurityFinding>,
  Unknown<keyof typeof AsffResourceSchema.shape, Resource>,
  Unknown<'AwsIamAccessKey', ResourceDetails>,
  Unknown<keyof typeof AsffAccessKeySchema.shape, AwsIamAccessKeyDetails>,
] extends [never, never, never, never]
  ? true
  : false = true;

describe('the ASFF subset lockdown reads', () => {
  it("names only fields of Security Hub's model (checked by the type checker)", () => {
    expect(asffFieldsExist).toBe(true);
  });
});
