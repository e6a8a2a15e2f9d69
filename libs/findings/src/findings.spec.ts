import { accessKeyEntity } from './entities-of-finding';
import { DEFAULT_TRIGGER_RULES, TriggerPolicySchema, decide } from './policy';
import { asffEntities } from './security-hub';

describe('decide (the GuardDuty policy)', () => {
  const policy = TriggerPolicySchema.parse({});
  it.each([
    ['UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS', 8, 'contain'],
    ['UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS', 5, 'contain'],
    ['UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS', 2, 'suggest'],
    ['CryptoCurrency:EC2/BitcoinTool.B!DNS', 8, 'contain'],
    ['CryptoCurrency:EC2/BitcoinTool.B!DNS', 6.9, 'suggest'],
    ['CryptoCurrency:Lambda/BitcoinTool.B', 8, 'contain'],
    ['Backdoor:EC2/C&CActivity.B!DNS', 8, 'contain'],
    ['Backdoor:EC2/DenialOfService.Tcp', 8, 'suggest'],
    ['CryptoCurrency:EC2Other/X', 8, 'suggest'],
    ['Recon:IAMUser/MaliciousIPCaller', 5, 'suggest'],
    ['AttackSequence:IAM/CompromisedCredentials', 9, 'suggest'],
    ['AttackSequence:EC2/CompromisedInstanceGroup', 9, 'suggest'],
    ['AttackSequence:S3/CompromisedData', 9, 'suggest'],
    ['AttackSequence:EKS/CompromisedCluster', 9, 'ignore'],
    ['AttackSequence:ECS/CompromisedCluster', 9, 'ignore'],
    ['AttackSequence:Lambda/SomethingNew', 9, 'suggest'],
  ])('%s at severity %s: %s', (type, severity, expected) => {
    expect(decide(policy, type, severity).decision).toBe(expected);
  });

  it('takes the first matching rule, and says which', () => {
    const custom = TriggerPolicySchema.parse({
      rules: [
        { types: ['*'], minSeverity: 9, decision: 'contain' },
        { types: ['Recon:*'], minSeverity: 0, decision: 'ignore' },
      ],
      otherwise: 'ignore',
    });
    expect(decide(custom, 'Recon:EC2/Portscan', 9.5)).toEqual({ decision: 'contain', because: 'rule 1 (*, severity 9+)' });
    expect(decide(custom, 'Recon:EC2/Portscan', 5).decision).toBe('ignore');
    expect(decide(custom, 'Impact:EC2/X', 5).because).toMatch(/default/);
  });

  it('refuses a policy it cannot apply', () => {
    expect(TriggerPolicySchema.safeParse({ rules: [{ types: [], minSeverity: 5, decision: 'contain' }] }).success).toBe(false);
    expect(TriggerPolicySchema.safeParse({ rules: [{ types: ['*'], minSeverity: 11, decision: 'contain' }] }).success).toBe(false);
    expect(TriggerPolicySchema.safeParse({ otherwise: 'delete' }).success).toBe(false);
    expect(TriggerPolicySchema.safeParse({ maxEntitiesPerFinding: 0 }).success).toBe(false);
    // Contained by default: single findings on one workload or session only; attack sequences are suggested (or ignored).
    const sequences = DEFAULT_TRIGGER_RULES.filter((r) => r.types.some((t) => t.startsWith('AttackSequence:')));
    expect(DEFAULT_TRIGGER_RULES.filter((r) => !sequences.includes(r)).every((r) => r.decision === 'contain')).toBe(true);
    expect(sequences.every((r) => r.decision !== 'contain')).toBe(true);
  });
});

describe('the entity an access key belongs to', () => {
  it.each([
    [{ type: 'IAMUser', name: 'alice', principalId: 'AIDA1' }, 'arn:aws:iam::111111111111:user/alice'],
    [{ type: 'AssumedRole', name: 'app', principalId: 'AROA1:i-0abc' }, 'arn:aws:sts::111111111111:assumed-role/app/i-0abc'],
    [{ type: 'AssumedRole', name: 'app', principalId: 'AROA1' }, undefined],
    [{ type: 'Root', name: 'Root', principalId: '111111111111' }, undefined],
    [{ type: 'FederatedUser', name: 'bob', principalId: '111111111111:bob' }, undefined],
  ])('%o', (owner, arn) => {
    const { entities, unsupported } = accessKeyEntity(owner, 'aws', '111111111111');
    expect(entities[0]?.arn).toBe(arn);
    expect(unsupported).toHaveLength(arn ? 0 : 1);
  });

  it('an ASFF finding names each supported resource once, and says why it skips the others', () => {
    const { entities, unsupported } = asffEntities({
      Id: 'f',
      ProductArn: 'p',
      AwsAccountId: '111111111111',
      Resources: [
        { Type: 'AwsIamRole', Id: 'arn:aws:iam::111111111111:role/app' },
        { Type: 'AwsIamRole', Id: 'arn:aws:iam::111111111111:role/app' },
        { Type: 'AwsEc2Instance', Id: 'arn:aws:ec2:eu-west-1:111111111111:instance/i-0123456789abcdef0' },
        { Type: 'AwsAccount', Id: 'AWS::::Account:111111111111' },
      ],
    });
    expect(entities.map((e) => e.type)).toEqual(['iam-role', 'ec2-instance']);
    expect(unsupported).toEqual(['AwsAccount AWS::::Account:111111111111: not an ARN']);
  });

  it("an ASFF access key names its principal by PrincipalName (UserName is deprecated) in the key's own account", () => {
    const { entities } = asffEntities({
      Id: 'f',
      ProductArn: 'p',
      AwsAccountId: '111111111111',
      Resources: [
        {
          Type: 'AwsIamAccessKey',
          Id: 'AWS::IAM::AccessKey:AKIA1',
          Details: {
            AwsIamAccessKey: { PrincipalType: 'IAMUser', PrincipalName: 'alice', UserName: 'old-name', AccountId: '222222222222' },
          },
        },
      ],
    });
    expect(entities.map((e) => e.arn)).toEqual(['arn:aws:iam::222222222222:user/alice']);
  });

  it("an ASFF attack sequence (a custom action on it) names its actors' users and sessions beside its resources", () => {
    const { entities, unsupported } = asffEntities({
      Id: 'f',
      ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/guardduty',
      AwsAccountId: '111111111111',
      Resources: [{ Type: 'AwsEc2Instance', Id: 'arn:aws:ec2:us-east-1:111111111111:instance/i-0123456789abcdef0' }],
      Detection: {
        Sequence: {
          Actors: [
            { Id: 'a1', User: { Name: 'alice', Uid: 'AIDA1', Type: 'IAMUser', Account: { Uid: '222222222222' } } },
            { Id: 'a2', User: { Name: 'app', Uid: 'AROA1', Type: 'AssumedRole' }, Session: { Uid: 'AROA1:ci' } },
            { Id: 'a3', User: { Name: 'jane', Uid: 'u-1', Type: 'IdentityCenterUser' } },
          ],
        },
      },
    });
    expect(entities.map((e) => e.arn)).toEqual([
      'arn:aws:iam::222222222222:user/alice',
      'arn:aws:sts::111111111111:assumed-role/app/ci',
      'arn:aws:ec2:us-east-1:111111111111:instance/i-0123456789abcdef0',
    ]);
    expect(unsupported).toEqual([expect.stringMatching(/Identity Center user jane/)]);
  });
});
