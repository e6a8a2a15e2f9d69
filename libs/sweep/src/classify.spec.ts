import { classify } from './classify';
import { TrailRecord } from './trail-record';

const ACCOUNT = '111122223333';
const mallory = {
  type: 'IAMUser',
  arn: `arn:aws:iam::${ACCOUNT}:user/mallory`,
  accountId: ACCOUNT,
  accessKeyId: 'AKIAMALLORY',
  userName: 'mallory',
};
const event = (
  eventSource: string,
  eventName: string,
  requestParameters: object | null,
  responseElements: object | null = null,
  extra: Partial<TrailRecord> = {},
): TrailRecord => ({
  eventID: 'e-1',
  eventTime: '2026-11-26T12:00:00Z',
  eventSource: `${eventSource}.amazonaws.com`,
  eventName,
  awsRegion: 'eu-west-1',
  userIdentity: mallory,
  requestParameters,
  responseElements,
  recipientAccountId: ACCOUNT,
  ...extra,
});
const trustOf = (principal: unknown) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }] });

describe('classify: what an event left behind', () => {
  it('a key for another user is a new credential of that user', () => {
    const found = classify(
      event(
        'iam',
        'CreateAccessKey',
        { userName: 'alice' },
        { accessKey: { accessKeyId: 'AKIANEW', userName: 'alice', status: 'Active' } },
      ),
    );

    expect(found).toEqual({
      category: 'new-credential',
      reason: 'an access key for another user: for alice',
      entities: [
        { kind: 'iam-user', id: 'alice' },
        { kind: 'iam-access-key', id: 'AKIANEW', owner: 'alice' },
      ],
    });
  });

  it('a key for the caller itself (no userName) is its own second key', () => {
    const found = classify(event('iam', 'CreateAccessKey', null, { accessKey: { accessKeyId: 'AKIA2ND', userName: 'mallory' } }));

    expect(found?.reason).toMatch(/compromised user itself/);
    expect(found?.entities).toEqual([
      { kind: 'iam-user', id: 'mallory' },
      { kind: 'iam-access-key', id: 'AKIA2ND', owner: 'mallory' },
    ]);
  });

  it.each([
    [`arn:aws:iam::999988887777:root`, 'trust-change'],
    ['999988887777', 'trust-change'],
    ['*', 'trust-change'],
    [`arn:aws:iam::${ACCOUNT}:root`, undefined],
  ])('UpdateAssumeRolePolicy trusting %s: %s', (principal, category) => {
    const found = classify(event('iam', 'UpdateAssumeRolePolicy', { roleName: 'ops', policyDocument: trustOf(principal) }));

    expect(found?.category).toBe(category);
  });

  it('a new role is a new principal, its reason naming an outside account it trusts', () => {
    const outside = classify(
      event('iam', 'CreateRole', { roleName: 'door', assumeRolePolicyDocument: trustOf(['arn:aws:iam::999988887777:root']) }),
    );
    const service = classify(
      event('iam', 'CreateRole', {
        roleName: 'fn',
        assumeRolePolicyDocument: JSON.stringify({
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );

    expect(outside).toMatchObject({
      category: 'new-principal',
      reason: expect.stringContaining('999988887777'),
      entities: [{ kind: 'iam-role', id: 'door' }],
    });
    expect(service).toMatchObject({ category: 'new-principal', entities: [{ kind: 'iam-role', id: 'fn' }] });
  });

  it('Lambda event names carry their API version', () => {
    expect(classify(event('lambda', 'CreateFunction20150331', { functionName: 'x' }, { functionName: 'x' }))?.category).toBe('new-compute');
    expect(classify(event('lambda', 'UpdateFunctionCode20150331v2', { functionName: 'x' }))?.category).toBe('new-compute');
  });

  it('a function URL is reported only when anyone may call it', () => {
    const open = classify(
      event(
        'lambda',
        'CreateFunctionUrlConfig',
        { functionName: 'x', authType: 'NONE' },
        { functionUrl: 'https://abc.lambda-url.eu-west-1.on.aws/' },
      ),
    );
    const iam = classify(event('lambda', 'CreateFunctionUrlConfig', { functionName: 'x', authType: 'AWS_IAM' }));

    expect(open).toMatchObject({
      category: 'network-exposure',
      entities: [{ kind: 'lambda-function', id: 'x', detail: 'https://abc.lambda-url.eu-west-1.on.aws/' }],
    });
    expect(iam).toBeUndefined();
  });

  it('AddPermission for principal * is exposure; for an account it is set aside', () => {
    expect(classify(event('lambda', 'AddPermission20150331v2', { functionName: 'x', principal: '*' }))?.category).toBe('network-exposure');
    expect(classify(event('lambda', 'AddPermission20150331v2', { functionName: 'x', principal: '123456789012' }))).toBeUndefined();
  });

  it('RunInstances names every instance launched', () => {
    const found = classify(event('ec2', 'RunInstances', {}, { instancesSet: { items: [{ instanceId: 'i-1' }, { instanceId: 'i-2' }] } }));

    expect(found?.entities.map((e) => e.id)).toEqual(['i-1', 'i-2']);
  });

  it.each([
    [
      {
        groupId: 'sg-1',
        ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] },
      },
      'tcp 22 from 0.0.0.0/0',
    ],
    [
      { groupId: 'sg-1', ipPermissions: { items: [{ ipProtocol: '-1', ipv6Ranges: { items: [{ cidrIpv6: '::/0' }] } }] } },
      'all traffic from ::/0',
    ],
    [{ groupId: 'sg-1', ipProtocol: 'tcp', fromPort: 80, toPort: 443, cidrIp: '0.0.0.0/0' }, 'tcp 80-443 from 0.0.0.0/0'],
  ])('an ingress open to the internet is network exposure with its rule (%j)', (params, rule) => {
    expect(classify(event('ec2', 'AuthorizeSecurityGroupIngress', params))).toMatchObject({
      category: 'network-exposure',
      entities: [{ kind: 'security-group', id: 'sg-1', detail: rule }],
    });
  });

  it('an ingress from a private range is set aside', () => {
    const params = {
      groupId: 'sg-1',
      ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '10.0.0.0/8' }] } }] },
    };

    expect(classify(event('ec2', 'AuthorizeSecurityGroupIngress', params))).toBeUndefined();
  });

  it('a snapshot shared with everyone is data exposure', () => {
    const found = classify(
      event('ec2', 'ModifySnapshotAttribute', {
        snapshotId: 'snap-1',
        attributeType: 'CREATE_VOLUME_PERMISSION',
        createVolumePermission: { add: { items: [{ group: 'all' }] } },
      }),
    );

    expect(found).toMatchObject({ category: 'data-exposure', entities: [{ kind: 'snapshot', id: 'snap-1', detail: 'shared with all' }] });
  });

  it('a bucket policy granting everyone is data exposure; one for the account itself is set aside', () => {
    const policy = (principal: unknown) => ({
      Statement: [{ Effect: 'Allow', Principal: principal, Action: 's3:GetObject', Resource: '*' }],
    });

    expect(classify(event('s3', 'PutBucketPolicy', { bucketName: 'b', bucketPolicy: policy('*') }))?.category).toBe('data-exposure');
    expect(
      classify(event('s3', 'PutBucketPolicy', { bucketName: 'b', bucketPolicy: policy({ AWS: `arn:aws:iam::${ACCOUNT}:root` }) })),
    ).toBeUndefined();
  });

  it.each(['StopLogging', 'DeleteTrail', 'UpdateTrail'])('%s is logging tampering of the trail it names', (name) => {
    expect(classify(event('cloudtrail', name, { name: 'org-trail' }))).toMatchObject({
      category: 'logging-tampering',
      entities: [{ kind: 'trail', id: 'org-trail' }],
    });
  });

  it('CreatePolicyVersion counts only when it becomes the default', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:policy/ops`;

    expect(classify(event('iam', 'CreatePolicyVersion', { policyArn: arn, setAsDefault: true }))?.category).toBe('privilege-escalation');
    expect(classify(event('iam', 'CreatePolicyVersion', { policyArn: arn, setAsDefault: false }))).toBeUndefined();
  });

  it('sets aside reads, refused calls and events with no row', () => {
    expect(classify(event('iam', 'GetUser', { userName: 'x' }, null, { readOnly: true }))).toBeUndefined();
    expect(classify(event('iam', 'CreateUser', { userName: 'x' }, null, { errorCode: 'AccessDenied' }))).toBeUndefined();
    expect(classify(event('sqs', 'SendMessage', {}))).toBeUndefined();
  });
});
