import { BatchUpdateFindingsCommand, BatchUpdateFindingsV2Command, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { TRIGGER_PATTERNS } from '@lockdown/findings';
import { activeSumoFinding, matchesPattern, ocsfFindingEvent, sumoLogicOcsfEvent } from '@lockdown/sandbox';
import { FindingNotes } from './adapters/finding-notes';
import { setup } from '../test/harness';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const SESSION = 'arn:aws:sts::869728294964:assumed-role/cis_automation/aws-go-sdk-1753152318418995274';
const withFinding = (finding: object) => ({ ...sumoLogicOcsfEvent, detail: { findings: [finding] } });
const containAll = { rules: [{ types: ['*'], minSeverity: 0, decision: 'contain' }] };

describe("the new Security Hub's OCSF findings (Findings Imported V2)", () => {
  it("reach the triggers through the V2 rule of the configured products only (Sumo Logic's published GuardDuty event)", () => {
    expect(matchesPattern(TRIGGER_PATTERNS.securityHubV2(['guardduty']), sumoLogicOcsfEvent)).toBe(true);
    expect(matchesPattern(TRIGGER_PATTERNS.securityHubV2(['securityhub']), sumoLogicOcsfEvent)).toBe(false);
    expect(matchesPattern(TRIGGER_PATTERNS.guardDuty, sumoLogicOcsfEvent)).toBe(false);
  });

  it('a Suppressed finding (the published one) is ignored: nothing published, noted or audited', async () => {
    const { triggers, published, notes, audits } = setup({ policy: containAll });
    expect(await triggers.handle(sumoLogicOcsfEvent)).toEqual([{ kind: 'ignored', reason: expect.stringMatching(/is Suppressed/) }]);
    expect([published, notes, audits]).toEqual([[], [], []]);
  });

  it("an active GuardDuty finding maps to the same request as GuardDuty's own: the key's role session, with the OCSF finding to write back to", async () => {
    const { triggers, published, notes } = setup({ policy: containAll });
    const [result] = await triggers.handle(withFinding(activeSumoFinding()));
    expect(result).toMatchObject({ kind: 'requested', requests: [{ arn: SESSION }] });
    const finding = { id: sumoLogicOcsfEvent.resources[0], productArn: 'arn:aws:securityhub:us-east-1::productv2/aws/guardduty' };
    expect(published).toEqual([
      { arns: [SESSION], options: expect.objectContaining({ finding, requestedBy: 'lockdown triggers (findings policy)' }) },
    ]);
    expect(notes).toEqual([expect.objectContaining({ findings: [finding], workflow: 'NOTIFIED' })]);
  });

  it("the default policy decides by GuardDuty's type and the severity band's floor: a Low Stealth finding is suggested", async () => {
    const { triggers, published, audits } = setup();
    expect(await triggers.handle(withFinding(activeSumoFinding()))).toEqual([{ kind: 'suggested', arns: [SESSION] }]);
    expect(published).toEqual([]);
    expect(audits[0]?.detail).toMatch(/^GuardDuty \(OCSF\) Stealth:IAMUser\/CloudTrailLoggingDisabled, severity 1: suggest/);
  });

  it("Security Hub CSPM's own finding on a bucket lockdown contains: by the policy, under the control's id", async () => {
    const { triggers, published } = setup({ policy: { rules: [{ types: ['S3.8'], minSeverity: 7, decision: 'contain' }] } });
    const event = ocsfFindingEvent({
      product: 'securityhub',
      accountId: ACCOUNT,
      region: REGION,
      types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
      control: 'S3.8',
      severityId: 4,
      resources: [{ type: 'AWS::S3::Bucket', uid: 'arn:aws:s3:::exposed', owner: { account: { uid: ACCOUNT } } }],
    });
    await triggers.handle(event);
    expect(published.map((p) => p.arns)).toEqual([['arn:aws:s3:::exposed']]);
  });

  it.each<[string, Record<string, unknown>]>([
    [
      'another product (anyone may import findings under their own)',
      { metadata: { uid: 'm', product: { uid: 'arn:aws:securityhub:us-east-1:111111111111:product/111111111111/default' } } },
    ],
    [
      'an AWS product lockdown does not read',
      { metadata: { uid: 'm', product: { uid: 'arn:aws:securityhub:us-east-1::productv2/aws/macie' } } },
    ],
  ])('%s is REJECTED, nothing published', async (_name, changes) => {
    const { triggers, published, audits } = setup({ policy: containAll });
    expect(await triggers.handle(withFinding(activeSumoFinding(changes)))).toEqual([
      { kind: 'rejected', reason: expect.stringMatching(/lockdown reads OCSF findings of/) },
    ]);
    expect([published.length, audits.map((a) => a.code)]).toEqual([0, ['unsupported-finding']]);
  });

  it('a configured product only: GuardDuty read natively is not read again from Security Hub', async () => {
    const { triggers, published } = setup({ policy: containAll, ocsfProducts: ['securityhub'] });
    expect(await triggers.handle(withFinding(activeSumoFinding()))).toEqual([
      { kind: 'rejected', reason: expect.stringMatching(/Security Hub CSPM here/) },
    ]);
    expect(published).toEqual([]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['metadata.labels', { metadata: { ...activeSumoFinding().metadata, labels: ['sample'] } }],
    ["GuardDuty's product field in unmapped", { unmapped: { 'aws/guardduty/service/additionalInfo/sample': 'true' } }],
    ["GuardDuty's additionalInfo in unmapped", { unmapped: { service: { additionalInfo: { sample: true } } } }],
  ])('a sample (marked in %s) is IGNORED with its id, even under a policy that contains everything', async (_name, changes) => {
    const { triggers, published, audits } = setup({ policy: containAll });
    expect(await triggers.handle(withFinding(activeSumoFinding(changes)))).toEqual([
      { kind: 'ignored', reason: expect.stringMatching(/sample/) },
    ]);
    expect(published).toEqual([]);
    expect(audits).toEqual([expect.objectContaining({ kind: 'ignored', code: 'sample-finding', target: sumoLogicOcsfEvent.resources[0] })]);
  });
});

describe("writing back to a finding: the new Security Hub's through BatchUpdateFindingsV2", () => {
  it('an OCSF finding gets a comment and In Progress by its metadata uid; an ASFF one the note and NOTIFIED, in its region', async () => {
    const sent: Array<{ region: string; name: string; input: unknown }> = [];
    const notes = new FindingNotes((region) => {
      const client = new SecurityHubClient({ region });
      client.send = (async (command: BatchUpdateFindingsCommand | BatchUpdateFindingsV2Command) => {
        sent.push({ region, name: command.constructor.name, input: command.input });
        return command instanceof BatchUpdateFindingsV2Command
          ? {
              ProcessedFindings: [],
              UnprocessedFindings: [{ MetadataUid: 'gone', ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'no such finding' }],
            }
          : { ProcessedFindings: [], UnprocessedFindings: [] };
      }) as never;
      return client;
    });
    const ocsf = { id: 'm-1', productArn: 'arn:aws:securityhub:eu-west-1::productv2/aws/guardduty' };
    const gone = { id: 'gone', productArn: 'arn:aws:securityhub:eu-west-1::productv2/aws/guardduty' };
    const asff = {
      id: 'arn:aws:securityhub:eu-west-1:111111111111:finding/1',
      productArn: 'arn:aws:securityhub:eu-west-1::product/aws/securityhub',
    };
    const unprocessed = await notes.write({ findings: [ocsf, asff, gone], text: 'lockdown: contain requested', workflow: 'NOTIFIED' });
    expect(sent).toEqual([
      {
        region: 'eu-west-1',
        name: 'BatchUpdateFindingsCommand',
        input: expect.objectContaining({
          FindingIdentifiers: [{ Id: asff.id, ProductArn: asff.productArn }],
          Workflow: { Status: 'NOTIFIED' },
        }),
      },
      {
        region: 'eu-west-1',
        name: 'BatchUpdateFindingsV2Command',
        input: { MetadataUids: ['m-1', 'gone'], Comment: 'lockdown: contain requested', StatusId: 2 },
      },
    ]);
    expect(unprocessed).toEqual([{ finding: gone, reason: 'ResourceNotFoundException: no such finding' }]);
  });
});
