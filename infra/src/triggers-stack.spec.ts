import { Match, Template } from 'aws-cdk-lib/assertions';
import { CUSTOM_ACTIONS, DEFAULT_TRIGGER_RULES, TRIGGER_PATTERNS } from '@lockdown/findings';
import { synth } from '../test/synth';

const rulesOf = (template: Template) =>
  Object.values(template.findResources('AWS::Events::Rule')).map((r) => r['Properties'] as Record<string, any>);

describe('triggers stack', () => {
  const built = synth({ securityAccountId: '999999999999' });
  const template = Template.fromStack(built.triggers);

  it('deploys the patterns the drill matches its sample events against (one definition)', () => {
    const rules = rulesOf(template);
    expect(rules.find((r) => r['EventPattern'].source[0] === 'aws.guardduty')?.['EventPattern']).toEqual(TRIGGER_PATTERNS.guardDuty);
    const outcomes = rules.find((r) => r['EventBusName'] === 'lockdown');
    expect(outcomes?.['EventPattern']).toEqual(TRIGGER_PATTERNS.outcomes);
    const actions = rules.find((r) => r['EventPattern'].source[0] === 'aws.securityhub')?.['EventPattern'];
    expect(actions.resources).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^Actioncontain/), 'ActionTargetArn'] }]);
    template.hasResourceProperties('AWS::SecurityHub::ActionTarget', { Id: CUSTOM_ACTIONS.contain.id, Name: CUSTOM_ACTIONS.contain.name });
  });

  it('leaves the Security Hub release action out unless it is configured: off, the function cannot publish releases', () => {
    template.resourceCountIs('AWS::SecurityHub::ActionTarget', 1);
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(fn!['Properties']['Environment']['Variables']['RELEASE_TOPIC_ARN']).toBeUndefined();
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toMatch(/releasetopicarn|releasekeyarn/);

    const on = Template.fromStack(synth({ securityAccountId: '999999999999', triggers: { securityHubRelease: true } }).triggers);
    const actions = rulesOf(on).find((r) => r['EventPattern'].source[0] === 'aws.securityhub')?.['EventPattern'];
    expect(actions.resources).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^Actioncontain/), 'ActionTargetArn'] },
      { 'Fn::GetAtt': [expect.stringMatching(/^Actionrelease/), 'ActionTargetArn'] },
    ]);
    const [onFn] = Object.values(on.findResources('AWS::Lambda::Function'));
    expect(onFn!['Properties']['Environment']['Variables']['RELEASE_TOPIC_ARN']).toEqual({ Ref: expect.stringMatching(/releasetopicarn/) });
    on.hasResourceProperties('AWS::SecurityHub::ActionTarget', { Id: CUSTOM_ACTIONS.release.id, Name: CUSTOM_ACTIONS.release.name });
  });

  it('loses nothing: every rule retries, then dead-letters into an alarmed queue', () => {
    for (const rule of rulesOf(template))
      expect(rule['Targets']).toEqual([
        expect.objectContaining({
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^DeadLetters/), 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 21600 },
        }),
      ]);
    // EventBridge invokes the function asynchronously: a function error is retried by Lambda, then lands in the same queue.
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeadLetters'), 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'lockdown-triggers-dlq', Threshold: 0 });
    // Its own customer-managed key (the events it keeps are findings: who, where, what was seen).
    const [dlq] = Object.values(template.findResources('AWS::SQS::Queue'));
    expect(dlq!['Properties']['KmsMasterKeyId']).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DeadLettersKey/), 'Arn'] });
    expect(dlq!['Properties']['SqsManagedSseEnabled']).toBeUndefined();
    template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 5 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'lockdown-triggers-errors', MetricName: 'Errors' });
  });

  it('passes the GuardDuty policy to the function, the defaults when none is set', () => {
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(JSON.parse(fn!['Properties']['Environment']['Variables']['GUARDDUTY_POLICY'])).toEqual({
      rules: DEFAULT_TRIGGER_RULES,
      otherwise: 'suggest',
      maxEntitiesPerFinding: 25,
    });
    expect(built.triggers.dependencies.map((d) => d.stackName)).toContain('LockdownCore');
  });

  it('takes a policy from cdk.json, and can leave Security Hub actions out', () => {
    const guardDuty = { rules: [{ types: ['CryptoCurrency:*'], minSeverity: 5, decision: 'contain' }], otherwise: 'ignore' };
    const custom = synth({ securityAccountId: '999999999999', triggers: { guardDuty, securityHubActions: false } });
    const t = Template.fromStack(custom.triggers);
    const [fn] = Object.values(t.findResources('AWS::Lambda::Function'));
    expect(JSON.parse(fn!['Properties']['Environment']['Variables']['GUARDDUTY_POLICY'])).toEqual({
      ...guardDuty,
      maxEntitiesPerFinding: 25,
    });
    t.resourceCountIs('AWS::SecurityHub::ActionTarget', 0);
    expect(rulesOf(t)).toHaveLength(2);
  });

  it("reads the new Security Hub's OCSF findings only when configured; GuardDuty's there replace its native rule (one feed per finding)", () => {
    expect(rulesOf(template).some((r) => r['EventPattern']['detail-type'][0] === 'Findings Imported V2')).toBe(false);
    const [offFn] = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(offFn!['Properties']['Environment']['Variables']['OCSF_PRODUCTS']).toBeUndefined();

    const cspm = Template.fromStack(synth({ securityAccountId: '999999999999', triggers: { securityHubV2: ['securityhub'] } }).triggers);
    const patterns = rulesOf(cspm).map((r) => r['EventPattern']);
    expect(patterns).toContainEqual(TRIGGER_PATTERNS.securityHubV2(['securityhub']));
    expect(patterns).toContainEqual(TRIGGER_PATTERNS.guardDuty);
    const [fn] = Object.values(cspm.findResources('AWS::Lambda::Function'));
    expect(fn!['Properties']['Environment']['Variables']['OCSF_PRODUCTS']).toBe('securityhub');

    const all = Template.fromStack(
      synth({ securityAccountId: '999999999999', triggers: { securityHubV2: ['guardduty', 'securityhub'] } }).triggers,
    );
    const allPatterns = rulesOf(all).map((r) => r['EventPattern']);
    expect(allPatterns).toContainEqual(TRIGGER_PATTERNS.securityHubV2(['guardduty', 'securityhub']));
    expect(allPatterns).not.toContainEqual(TRIGGER_PATTERNS.guardDuty);
    expect(() => synth({ triggers: { securityHubV2: ['macie'] } })).toThrow(/triggers\.securityHubV2/);
  });

  it('delivers attack sequences through the GuardDuty rule (their resource type is AttackSequence)', () => {
    const guardDuty = rulesOf(template).find((r) => r['EventPattern'].source[0] === 'aws.guardduty')?.['EventPattern'];
    expect(guardDuty.detail.resource.resourceType).toContain('AttackSequence');
  });

  it('refuses a policy it cannot apply', () => {
    expect(() => synth({ triggers: { guardDuty: { rules: [{ types: ['*'], minSeverity: 12, decision: 'contain' }] } } })).toThrow(
      /triggers\.guardDuty\.rules\.0\.minSeverity/,
    );
  });
});
