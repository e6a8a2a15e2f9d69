import { ATTACK_SEQUENCES, Sequence, sequenceEntities } from './attack-sequence';

// The sequence's shape: GuardDuty API `Sequence`, `Actor`, `ResourceV2`, `ResourceData`
// (https://docs.aws.amazon.com/guardduty/latest/APIReference/API_Sequence.html), camelCase as EventBridge delivers it.
const at = { partition: 'aws', accountId: '111111111111', region: 'us-east-1' };
const arns = (type: string, sequence: Sequence) => sequenceEntities(type, sequence, at).entities.map((e) => e.arn);

describe('what an attack sequence names', () => {
  it('compromised credentials: each actor, an IAM user or one role session (never the whole role), and each access key owner', () => {
    const sequence = {
      actors: [
        { id: 'a1', user: { name: 'alice', uid: 'AIDAEXAMPLE', type: 'IAMUser', account: { uid: '222222222222' } } },
        { id: 'a2', user: { name: 'app', uid: 'AROAEXAMPLE:i-0abc', type: 'AssumedRole' }, session: { uid: 'AROAEXAMPLE:i-0abc' } },
        { id: 'a3', user: { name: 'app', uid: 'AROAEXAMPLE', type: 'AssumedRole' }, session: { uid: 'AROAEXAMPLE:ci-run' } },
      ],
      resources: [
        {
          uid: 'AKIAEXAMPLE',
          resourceType: 'ACCESS_KEY',
          data: { accessKey: { principalId: 'AIDB', userName: 'bob', userType: 'IAMUser' } },
        },
        { uid: 'my-bucket', resourceType: 'S3_BUCKET' },
      ],
    };
    expect(arns('AttackSequence:IAM/CompromisedCredentials', sequence)).toEqual([
      'arn:aws:iam::222222222222:user/alice',
      'arn:aws:sts::111111111111:assumed-role/app/i-0abc',
      'arn:aws:sts::111111111111:assumed-role/app/ci-run',
      'arn:aws:iam::111111111111:user/bob',
    ]);
  });

  it('an Identity Center user or a root actor is named with the reason lockdown does not contain it; the others still are', () => {
    const { entities, unsupported } = sequenceEntities(
      'AttackSequence:IAM/CompromisedCredentials',
      {
        actors: [
          { id: 'a1', user: { name: 'jane@example.com', uid: 'u-1', type: 'IdentityCenterUser' } },
          { id: 'a2', user: { name: 'Root', uid: '111111111111', type: 'Root' } },
          { id: 'a3', user: { name: 'alice', uid: 'AIDA1', type: 'IAMUser' } },
        ],
      },
      at,
    );
    expect(entities.map((e) => e.name)).toEqual(['alice']);
    expect(unsupported).toEqual([
      expect.stringMatching(/Identity Center user jane@example.com.*identity-center-user/),
      expect.stringMatching(/Root/),
    ]);
  });

  it('an instance group: every instance, named directly or through the ASG (or launch template...) they share, once each; the VPC is context', () => {
    const sequence = {
      resources: [
        { uid: 'i-0123456789abcdef0', resourceType: 'EC2_INSTANCE', accountId: '333333333333', region: 'eu-west-1' },
        { uid: 'arn:aws:ec2:us-east-1:111111111111:instance/i-0aaaaaaaaaaaaaaaa', resourceType: 'EC2_INSTANCE' },
        {
          uid: 'web',
          resourceType: 'AUTOSCALING_AUTO_SCALING_GROUP',
          data: { autoscalingAutoScalingGroup: { ec2InstanceUids: ['i-0aaaaaaaaaaaaaaaa', 'i-0bbbbbbbbbbbbbbbb'] } },
        },
        { uid: 'vpc-1', resourceType: 'EC2_VPC', data: { ec2Vpc: { ec2InstanceUids: ['not-an-instance'] } } },
      ],
    };
    const { entities, unsupported } = sequenceEntities('AttackSequence:EC2/CompromisedInstanceGroup', sequence, at);
    expect(entities.map((e) => e.arn)).toEqual([
      'arn:aws:ec2:eu-west-1:333333333333:instance/i-0123456789abcdef0',
      'arn:aws:ec2:us-east-1:111111111111:instance/i-0aaaaaaaaaaaaaaaa',
      'arn:aws:ec2:us-east-1:111111111111:instance/i-0bbbbbbbbbbbbbbbb',
    ]);
    expect(unsupported).toEqual([expect.stringMatching(/"not-an-instance", not an instance id/)]);
  });

  it('compromised data: its buckets, with their owner (an S3 ARN has no account), not the actors', () => {
    const sequence = {
      actors: [{ id: 'a1', user: { name: 'alice', uid: 'AIDA1', type: 'IAMUser' } }],
      resources: [
        { uid: 'arn:aws:s3:::data', resourceType: 'S3_BUCKET', accountId: '444444444444' },
        { uid: 'logs', name: 'logs', resourceType: 'S3_BUCKET' },
        { uid: 'arn:aws:s3:::data/secret.csv', resourceType: 'S3_OBJECT' },
      ],
    };
    const { entities } = sequenceEntities('AttackSequence:S3/CompromisedData', sequence, at);
    expect(entities.map((e) => [e.arn, e.accountId])).toEqual([
      ['arn:aws:s3:::data', '444444444444'],
      ['arn:aws:s3:::logs', '111111111111'],
    ]);
  });

  it.each(['AttackSequence:EKS/CompromisedCluster', 'AttackSequence:ECS/CompromisedCluster', 'AttackSequence:RDS/Unknown'])(
    '%s names nothing lockdown contains, and says why',
    (type) => {
      const { entities, unsupported } = sequenceEntities(
        type,
        { resources: [{ uid: 'i-0123456789abcdef0', resourceType: 'EC2_INSTANCE' }] },
        at,
      );
      expect(entities).toEqual([]);
      expect(unsupported).toEqual([expect.stringMatching(type in ATTACK_SEQUENCES ? /contains no cluster/ : /does not know/)]);
    },
  );

  it('a sequence finding without its sequence says so', () => {
    expect(sequenceEntities('AttackSequence:S3/CompromisedData', undefined, at).unsupported).toEqual([
      expect.stringMatching(/without its sequence/),
    ]);
  });
});
