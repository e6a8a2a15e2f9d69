import { parseEntityArn, ArnRejectionCode } from './arn';

describe('parseEntityArn accepts the five supported entity types', () => {
  it('parses an IAM user without a path', () => {
    const result = parseEntityArn('arn:aws:iam::123456789012:user/alice');
    expect(result).toEqual({
      ok: true,
      entity: {
        type: 'iam-user',
        arn: 'arn:aws:iam::123456789012:user/alice',
        requestedArn: 'arn:aws:iam::123456789012:user/alice',
        partition: 'aws',
        accountId: '123456789012',
        name: 'alice',
        path: '/',
      },
    });
  });

  it('parses an IAM role with a path into its name and path', () => {
    const result = parseEntityArn('arn:aws:iam::123456789012:role/service-role/app');
    expect(result.ok && result.entity).toMatchObject({ type: 'iam-role', name: 'app', path: '/service-role/', serviceLinked: false });
  });

  it('parses a user with a nested path', () => {
    const result = parseEntityArn('arn:aws-us-gov:iam::123456789012:user/division/team/bob.smith@corp');
    expect(result.ok && result.entity).toMatchObject({ partition: 'aws-us-gov', name: 'bob.smith@corp', path: '/division/team/' });
  });

  it('flags service-linked roles', () => {
    const result = parseEntityArn(
      'arn:aws:iam::123456789012:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing',
    );
    expect(result.ok && result.entity).toMatchObject({ type: 'iam-role', serviceLinked: true });
  });

  it('keeps a Lambda qualifier but targets the unqualified function', () => {
    const result = parseEntityArn('arn:aws:lambda:eu-west-1:123456789012:function:payments:live');
    expect(result.ok && result.entity).toMatchObject({
      type: 'lambda-function',
      arn: 'arn:aws:lambda:eu-west-1:123456789012:function:payments',
      requestedArn: 'arn:aws:lambda:eu-west-1:123456789012:function:payments:live',
      qualifier: 'live',
      region: 'eu-west-1',
      name: 'payments',
    });
  });

  it.each(['$LATEST', '7'])('accepts the Lambda version qualifier %s', (qualifier) => {
    const result = parseEntityArn(`arn:aws:lambda:us-east-1:123456789012:function:fn:${qualifier}`);
    expect(result.ok && result.entity).toMatchObject({ qualifier, arn: 'arn:aws:lambda:us-east-1:123456789012:function:fn' });
  });

  it('parses an unqualified Lambda function in aws-cn', () => {
    const result = parseEntityArn('arn:aws-cn:lambda:cn-north-1:123456789012:function:fn');
    expect(result.ok && result.entity).toMatchObject({ partition: 'aws-cn', region: 'cn-north-1' });
    expect(result.ok && 'qualifier' in result.entity).toBe(false);
  });

  it.each(['my-bucket', 'logs.example.com', 'a1b', `b${'0'.repeat(62)}`])(
    'parses the S3 bucket %s with its owner from the request',
    (name) => {
      const result = parseEntityArn(`arn:aws:s3:::${name}`, { accountId: '123456789012' });
      expect(result).toEqual({
        ok: true,
        entity: {
          type: 's3-bucket',
          arn: `arn:aws:s3:::${name}`,
          requestedArn: `arn:aws:s3:::${name}`,
          partition: 'aws',
          accountId: '123456789012',
          name,
        },
      });
    },
  );

  it('parses a session of a role (an assumed-role ARN)', () => {
    const arn = 'arn:aws:sts::123456789012:assumed-role/app/i-0abc@ops';
    expect(parseEntityArn(arn)).toEqual({
      ok: true,
      entity: {
        type: 'iam-role-session',
        arn,
        requestedArn: arn,
        partition: 'aws',
        accountId: '123456789012',
        name: 'app/i-0abc@ops',
        roleName: 'app',
        sessionName: 'i-0abc@ops',
        serviceLinked: false,
      },
    });
    const slr = parseEntityArn('arn:aws:sts::123456789012:assumed-role/AWSServiceRoleForSupport/s1');
    expect(slr.ok && slr.entity).toMatchObject({ serviceLinked: true });
  });

  it('parses S3 buckets in every partition', () => {
    const result = parseEntityArn('arn:aws-cn:s3:::data', { accountId: '123456789012' });
    expect(result.ok && result.entity).toMatchObject({ type: 's3-bucket', partition: 'aws-cn' });
  });

  it.each(['i-0123456789abcdef0', 'i-01234567'])('parses the EC2 instance %s', (id) => {
    const result = parseEntityArn(`arn:aws:ec2:us-west-2:123456789012:instance/${id}`);
    expect(result.ok && result.entity).toMatchObject({ type: 'ec2-instance', instanceId: id, name: id, region: 'us-west-2' });
  });
});

const rejected: Array<[string, string, ArnRejectionCode]> = [
  ['empty string', '', 'empty'],
  ['over-long ARN', `arn:aws:iam::123456789012:user/${'a'.repeat(2100)}`, 'too-long'],
  ['leading space', ' arn:aws:iam::123456789012:user/alice', 'invalid-characters'],
  ['trailing newline', 'arn:aws:iam::123456789012:user/alice\n', 'invalid-characters'],
  ['tab inside', 'arn:aws:iam::123456789012:user/al\tice', 'invalid-characters'],
  ['NUL byte', 'arn:aws:iam::123456789012:user/al\u0000ice', 'invalid-characters'],
  ['zero-width space', 'arn:aws:iam::123456789012:user/al\u200bice', 'invalid-characters'],
  ['no-break space', 'arn:aws:iam::123456789012:user/al\u00a0ice', 'invalid-characters'],
  ['not an ARN', 'alice', 'malformed'],
  ['too few fields', 'arn:aws:iam::123456789012', 'malformed'],
  ['wrong prefix', 'urn:aws:iam::123456789012:user/alice', 'malformed'],
  ['unknown partition', 'arn:aws-iso:iam::123456789012:user/alice', 'unsupported-partition'],
  ['empty partition', 'arn::iam::123456789012:user/alice', 'unsupported-partition'],
  ['S3 bucket without the AccountId attribute', 'arn:aws:s3:::my-bucket', 'account-required'],
  ['S3 access point (region and account)', 'arn:aws:s3:us-east-1:123456789012:accesspoint/x', 'malformed'],
  ['DynamoDB table', 'arn:aws:dynamodb:us-east-1:123456789012:table/t', 'unsupported-service'],
  ['IAM group', 'arn:aws:iam::123456789012:group/admins', 'unsupported-resource-type'],
  ['IAM policy', 'arn:aws:iam::123456789012:policy/p', 'unsupported-resource-type'],
  ['IAM instance profile', 'arn:aws:iam::123456789012:instance-profile/p', 'unsupported-resource-type'],
  ['account root', 'arn:aws:iam::123456789012:root', 'unsupported-resource-type'],
  ['EC2 volume', 'arn:aws:ec2:us-east-1:123456789012:volume/vol-0123456789abcdef0', 'unsupported-resource-type'],
  ['EC2 security group', 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-01234567', 'unsupported-resource-type'],
  ['Lambda layer', 'arn:aws:lambda:us-east-1:123456789012:layer:my-layer:1', 'unsupported-resource-type'],
  ['Lambda event source mapping', 'arn:aws:lambda:us-east-1:123456789012:event-source-mapping:abc', 'unsupported-resource-type'],
  ['11-digit account', 'arn:aws:iam::12345678901:user/alice', 'invalid-account'],
  ['13-digit account', 'arn:aws:iam::1234567890123:user/alice', 'invalid-account'],
  ['account with letters', 'arn:aws:iam::12345678901a:user/alice', 'invalid-account'],
  ['empty account', 'arn:aws:iam:::user/alice', 'invalid-account'],
  ['IAM with a region', 'arn:aws:iam:us-east-1:123456789012:user/alice', 'region-not-allowed'],
  ['Lambda without region', 'arn:aws:lambda::123456789012:function:fn', 'invalid-region'],
  ['made-up region', 'arn:aws:ec2:moon-base-1a:123456789012:instance/i-0123456789abcdef0', 'invalid-region'],
  ['upper-case region', 'arn:aws:ec2:US-EAST-1:123456789012:instance/i-0123456789abcdef0', 'invalid-region'],
  ['China region in aws partition', 'arn:aws:ec2:cn-north-1:123456789012:instance/i-0123456789abcdef0', 'partition-region-mismatch'],
  ['commercial region in aws-cn', 'arn:aws-cn:lambda:us-east-1:123456789012:function:fn', 'partition-region-mismatch'],
  ['GovCloud region in aws', 'arn:aws:lambda:us-gov-west-1:123456789012:function:fn', 'partition-region-mismatch'],
  ['empty user name', 'arn:aws:iam::123456789012:user/', 'invalid-name'],
  ['user without name part', 'arn:aws:iam::123456789012:user', 'invalid-name'],
  ['role with empty name after path', 'arn:aws:iam::123456789012:role/path/', 'invalid-name'],
  ['65-character user name', `arn:aws:iam::123456789012:user/${'u'.repeat(65)}`, 'invalid-name'],
  ['65-character role name', `arn:aws:iam::123456789012:role/${'r'.repeat(65)}`, 'invalid-name'],
  ['user name with !', 'arn:aws:iam::123456789012:user/alice!', 'invalid-name'],
  ['role name with *', 'arn:aws:iam::123456789012:role/adm*', 'invalid-name'],
  ['user name with unicode', 'arn:aws:iam::123456789012:user/alicé', 'invalid-name'],
  ['double slash in path', 'arn:aws:iam::123456789012:user/a//alice', 'invalid-path'],
  ['over-long path', `arn:aws:iam::123456789012:user/${'p'.repeat(520)}/alice`, 'invalid-path'],
  ['empty function name', 'arn:aws:lambda:us-east-1:123456789012:function:', 'invalid-name'],
  ['function name with dot', 'arn:aws:lambda:us-east-1:123456789012:function:my.fn', 'invalid-name'],
  ['65-character function name', `arn:aws:lambda:us-east-1:123456789012:function:${'f'.repeat(65)}`, 'invalid-name'],
  ['empty qualifier', 'arn:aws:lambda:us-east-1:123456789012:function:fn:', 'invalid-qualifier'],
  ['qualifier with a dot', 'arn:aws:lambda:us-east-1:123456789012:function:fn:v1.2', 'invalid-qualifier'],
  ['two qualifiers', 'arn:aws:lambda:us-east-1:123456789012:function:fn:1:2', 'malformed'],
  ['short instance id', 'arn:aws:ec2:us-east-1:123456789012:instance/i-0123', 'invalid-instance-id'],
  ['upper-case instance id', 'arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789ABCDEF0', 'invalid-instance-id'],
  ['instance id without prefix', 'arn:aws:ec2:us-east-1:123456789012:instance/0123456789abcdef0', 'invalid-instance-id'],
  ['empty instance id', 'arn:aws:ec2:us-east-1:123456789012:instance/', 'invalid-instance-id'],
  ['instance wildcard', 'arn:aws:ec2:us-east-1:123456789012:instance/*', 'invalid-instance-id'],
];

const rejectedSessions: Array<[string, string, ArnRejectionCode]> = [
  ['federated user', 'arn:aws:sts::123456789012:federated-user/bob', 'unsupported-resource-type'],
  ['assumed role without a session', 'arn:aws:sts::123456789012:assumed-role/app', 'malformed'],
  ['session with a slash', 'arn:aws:sts::123456789012:assumed-role/app/a/b', 'malformed'],
  ['1-character session', 'arn:aws:sts::123456789012:assumed-role/app/a', 'invalid-name'],
  ['session with a space', 'arn:aws:sts::123456789012:assumed-role/app/a b', 'invalid-characters'],
  ['session with a star', 'arn:aws:sts::123456789012:assumed-role/app/ab*', 'invalid-name'],
  ['STS with a region', 'arn:aws:sts:us-east-1:123456789012:assumed-role/app/s1', 'region-not-allowed'],
  ['STS without an account', 'arn:aws:sts:::assumed-role/app/s1', 'invalid-account'],
];

describe('parseEntityArn rejects assumed-role ARNs that name no session precisely', () => {
  it.each(rejectedSessions)('rejects %s', (_label, arn, code) => {
    const result = parseEntityArn(arn);
    expect(!result.ok && result.error.code).toBe(code);
  });
});

const rejectedBuckets: Array<[string, string, ArnRejectionCode]> = [
  ['S3 object', 'arn:aws:s3:::my-bucket/key.txt', 'unsupported-resource-type'],
  ['2-character bucket', 'arn:aws:s3:::ab', 'invalid-bucket-name'],
  ['64-character bucket', `arn:aws:s3:::${'b'.repeat(64)}`, 'invalid-bucket-name'],
  ['upper-case bucket', 'arn:aws:s3:::MyBucket', 'invalid-bucket-name'],
  ['bucket with underscore', 'arn:aws:s3:::my_bucket', 'invalid-bucket-name'],
  ['bucket ending with a hyphen', 'arn:aws:s3:::bucket-', 'invalid-bucket-name'],
  ['bucket with two dots', 'arn:aws:s3:::my..bucket', 'invalid-bucket-name'],
  ['bucket named as an IP address', 'arn:aws:s3:::192.168.5.4', 'invalid-bucket-name'],
  ['bucket with a reserved prefix', 'arn:aws:s3:::xn--bucket', 'invalid-bucket-name'],
  ['access point alias', 'arn:aws:s3:::my-ap-abc-s3alias', 'invalid-bucket-name'],
  ['directory bucket', 'arn:aws:s3:::data--usw2-az1--x-s3', 'invalid-bucket-name'],
  ['bucket with a wildcard', 'arn:aws:s3:::my-*', 'invalid-bucket-name'],
];

describe('parseEntityArn rejects S3 ARNs that name no general purpose bucket, or no owner', () => {
  it.each(rejectedBuckets)('rejects %s', (_label, arn, code) => {
    const result = parseEntityArn(arn, { accountId: '123456789012' });
    expect(!result.ok && result.error.code).toBe(code);
  });

  it.each(['12345', '', '12345678901a'])('rejects the owner account id "%s"', (accountId) => {
    const result = parseEntityArn('arn:aws:s3:::my-bucket', { accountId });
    expect(!result.ok && result.error.code).toBe('invalid-account');
  });
});

describe('an AccountId given with an ARN that names its account', () => {
  it('is accepted when it is the same account', () => {
    expect(parseEntityArn('arn:aws:iam::123456789012:user/alice', { accountId: '123456789012' }).ok).toBe(true);
  });

  it('is refused when it names another account (a contradictory request changes nothing)', () => {
    const result = parseEntityArn('arn:aws:iam::123456789012:user/alice', { accountId: '210987654321' });
    expect(!result.ok && result.error).toMatchObject({ code: 'invalid-account', message: expect.stringMatching(/another account/) });
  });
});

describe('parseEntityArn rejects everything else with a precise reason', () => {
  it.each(rejected)('rejects %s', (_label, arn, code) => {
    const result = parseEntityArn(arn);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.message.length).toBeGreaterThan(10);
  });

  it('names the offending character and its position', () => {
    const result = parseEntityArn('arn:aws:iam::123456789012:user/al\tice');
    expect(!result.ok && result.error.message).toMatch(/U\+0009\) at position 33/);
  });
});
