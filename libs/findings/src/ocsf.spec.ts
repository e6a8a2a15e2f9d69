import { OcsfFindingSchema, ocsfEntities, ocsfInactive, ocsfProductOf, ocsfSeverity, ocsfType } from './ocsf';
import { readOcsf } from './finding';

// OCSF finding attributes as the new Security Hub fills them ("OCSF findings in Security Hub",
// https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-ocsf.html); a published
// GuardDuty one is in testing/sandbox/src/findings/published-samples.ts (the triggers' tests read it).
const finding = (changes: Record<string, unknown> = {}) =>
  OcsfFindingSchema.parse({
    metadata: { uid: 'm-1', product: { uid: 'arn:aws:securityhub:us-east-1::productv2/aws/guardduty', name: 'GuardDuty' } },
    finding_info: { uid: 'f-1', types: ['TTPs/Initial Access', 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS'] },
    cloud: { account: { uid: '111111111111' }, region: 'eu-west-1' },
    severity_id: 4,
    status_id: 1,
    ...changes,
  });

describe('an OCSF finding, read', () => {
  it('is of a product lockdown reads only when AWS made it (aws/guardduty, aws/securityhub in productv2)', () => {
    expect(ocsfProductOf(finding())).toBe('guardduty');
    const product = (uid: string) => ocsfProductOf(finding({ metadata: { uid: 'm', product: { uid } } }));
    expect(product('arn:aws:securityhub:us-east-1::productv2/aws/securityhub')).toBe('securityhub');
    expect(product('arn:aws:securityhub:us-east-1::productv2/aws/macie')).toBeUndefined();
    expect(product('arn:aws:securityhub:us-east-1:111111111111:product/111111111111/default')).toBeUndefined();
    expect(product('arn:aws:securityhub:us-east-1::productv2/evil/guardduty')).toBeUndefined();
  });

  it("takes GuardDuty's type among the finding's types, else a control's id; severity at its band's floor", () => {
    expect(ocsfType(finding())).toBe('UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS');
    expect(
      ocsfType(finding({ finding_info: { uid: 'f', types: ['Software and Configuration Checks'] }, compliance: { control: 'S3.8' } })),
    ).toBe('S3.8');
    expect([1, 2, 3, 4, 5, 6, 0].map((severity_id) => ocsfSeverity(finding({ severity_id })))).toEqual([0, 1, 4, 7, 9, 10, 0]);
  });

  it.each([
    [{ status_id: 3 }, 'Suppressed'],
    [{ status_id: 4 }, 'Resolved'],
    [{ status_id: 5 }, 'Archived'],
    [{ status_id: 1, activity_id: 3 }, 'Closed'],
    // lockdown's own note sets In Progress, and a BatchUpdateFindingsV2 update emits the finding
    // again as Findings Imported V2: acting on it would loop (contain, note, event, contain, ...).
    [{ status_id: 2 }, 'In Progress (already acted on: lockdown noted it, or a responder took it)'],
    [{ status_id: 1 }, undefined],
    [{}, undefined],
  ])('%o is inactive: %s', (changes, inactive) => {
    expect(ocsfInactive(finding(changes))).toBe(inactive);
  });

  it('names instances by id or ARN, buckets with their owner, ARNs of entities; skips the rest with a reason', () => {
    const { entities, unsupported } = ocsfEntities(
      finding({
        resources: [
          { type: 'AWS::EC2::Instance', uid: 'i-0123456789abcdef0', region: 'eu-west-1' },
          { type: 'AwsEc2Instance', uid: 'arn:aws:ec2:us-east-1:111111111111:instance/i-0aaaaaaaaaaaaaaaa' },
          { type: 'AWS::S3::Bucket', uid: 'data', owner: { account: { uid: '222222222222' } } },
          { type: 'AWS::IAM::Role', uid: 'arn:aws:iam::111111111111:role/app' },
          { type: 'AWS::EC2::VPC', uid: 'vpc-1' },
          { type: 'AWS::IAM::AccessKey', uid: 'AKIA1', data: 'not an object' },
        ],
      }),
    );
    expect(entities.map((e) => [e.arn, e.accountId])).toEqual([
      ['arn:aws:ec2:eu-west-1:111111111111:instance/i-0123456789abcdef0', '111111111111'],
      ['arn:aws:ec2:us-east-1:111111111111:instance/i-0aaaaaaaaaaaaaaaa', '111111111111'],
      ['arn:aws:s3:::data', '222222222222'],
      ['arn:aws:iam::111111111111:role/app', '111111111111'],
    ]);
    expect(unsupported).toEqual(['AWS::EC2::VPC vpc-1: not an ARN', expect.stringMatching(/access key of a principal of unknown type/)]);
  });

  it("an attack sequence in OCSF contains only its targets: a credentials sequence's keys, not the buckets it read", () => {
    const read = readOcsf(
      finding({
        finding_info: { uid: 'f', types: ['Threats', 'AttackSequence:IAM/CompromisedCredentials'] },
        resources: [
          { type: 'AWS::IAM::AccessKey', uid: 'AKIA1', data: { user_name: 'alice', user_type: 'IAMUser', principal_id: 'AIDA1' } },
          { type: 'AWS::S3::Bucket', uid: 'data' },
        ],
      }),
      'guardduty',
    );
    expect(read.entities.entities.map((e) => e.arn)).toEqual(['arn:aws:iam::111111111111:user/alice']);
    expect(read).toMatchObject({
      source: 'GuardDuty (OCSF)',
      ref: { id: 'm-1' },
      type: 'AttackSequence:IAM/CompromisedCredentials',
      severity: 7,
    });
  });
});
