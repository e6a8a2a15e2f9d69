import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { customActionArn } from '@lockdown/findings';
import {
  activeSumoFinding,
  asffFinding,
  customActionEvent,
  guardDutyFindingEvent,
  guardDutyResource,
  sumoLogicOcsfEvent,
} from '@lockdown/sandbox';
import { setup } from '../test/harness';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const containAll = { rules: [{ types: ['*'], minSeverity: 0, decision: 'contain' }] };

/**
 * A request from a finding carries when the finding first saw the activity: the sweep reads
 * CloudTrail from there, so persistence planted long before the finding is still found.
 */
describe("a finding's first-seen time rides on the request it makes", () => {
  it("GuardDuty: service.eventFirstSeen (as in Panther's published sample, samples.spec.ts: '2020-02-14T17:59:17Z')", async () => {
    const { triggers, published } = setup({ policy: containAll });
    const event = guardDutyFindingEvent({
      type: 'CryptoCurrency:EC2/BitcoinTool.B!DNS',
      severity: 8,
      accountId: ACCOUNT,
      region: REGION,
      resource: guardDutyResource.instance('i-0123456789abcdef0'),
    });
    (event.detail as { service: Record<string, unknown> }).service['eventFirstSeen'] = '2020-02-14T17:59:17Z';

    await triggers.handle(event);

    expect(published[0]?.options.firstSeenAt).toBe('2020-02-14T17:59:17.000Z');
  });

  it("OCSF: finding_info.first_seen_time_dt, or first_seen_time in epoch milliseconds (Sumo Logic's published event)", async () => {
    const { triggers, published } = setup({ policy: containAll });
    const published_ = sumoLogicOcsfEvent.detail.findings[0]!.finding_info;
    const withInfo = (finding_info: object) => ({ ...sumoLogicOcsfEvent, detail: { findings: [activeSumoFinding({ finding_info })] } });
    const { first_seen_time_dt: _dt, ...epochOnly } = published_;

    await triggers.handle(withInfo(published_));
    await triggers.handle(withInfo(epochOnly));

    expect(published.map((p) => p.options.firstSeenAt)).toEqual(['2024-10-24T10:21:26.000Z', '2024-10-24T10:21:26.000Z']);
  });

  // ASFF's FirstObservedAt: "Optional top-level attributes" (https://docs.aws.amazon.com/securityhub/latest/userguide/asff-top-level-attributes.html),
  // example "2017-03-22T13:22:13.933Z"; the field name is the Security Hub SDK model's (AwsSecurityFinding).
  it('ASFF (a custom action): FirstObservedAt', async () => {
    const { triggers, published } = setup();
    const firstObserved: Pick<AwsSecurityFinding, 'FirstObservedAt'> = { FirstObservedAt: '2017-03-22T13:22:13.933Z' };
    const finding = {
      ...asffFinding(ACCOUNT, REGION, [{ Type: 'AwsIamUser', Id: `arn:aws:iam::${ACCOUNT}:user/alice` }]),
      ...firstObserved,
    };

    await triggers.handle(customActionEvent(customActionArn('aws', REGION, ACCOUNT, 'contain'), [finding], REGION, ACCOUNT));

    expect(published[0]?.options.firstSeenAt).toBe('2017-03-22T13:22:13.933Z');
  });

  it('a first-seen time the triggers cannot read, one in the future (the intake would refuse the request), or none, leaves the request without one (the sweep reads its configured window)', async () => {
    const { triggers, published } = setup({ policy: containAll });
    const event = (eventFirstSeen: unknown) => {
      const e = guardDutyFindingEvent({
        type: 'CryptoCurrency:EC2/BitcoinTool.B!DNS',
        severity: 8,
        accountId: ACCOUNT,
        region: REGION,
        resource: guardDutyResource.instance('i-0123456789abcdef0'),
      });
      (e.detail as { service: Record<string, unknown> }).service['eventFirstSeen'] = eventFirstSeen;
      return e;
    };

    // Whoever may import findings (securityhub:BatchImportFindings) writes these fields: a time past
    // what a Date holds (OCSF epoch milliseconds) or in the future must not cost the containment.
    const values = ['last Tuesday', true, undefined, 1e20, '2999-01-01T00:00:00Z'];
    for (const value of values) await triggers.handle(event(value));

    expect(published.map((p) => p.options.firstSeenAt)).toEqual(values.map(() => undefined));
  });
});
