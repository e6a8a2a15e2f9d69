import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { SNSEventRecord } from 'aws-lambda';
import { DispatchMessageSchema } from '@lockdown/contracts';
import { EXTERNAL_ID, attr, event, ingressRecord, intakeEnv, releaseRecord, request } from '../test/sns-event';
import { createIntakeHandler } from './handler';

const env = intakeEnv();
const sns = mockClient(SNSClient);
const secrets = mockClient(SecretsManagerClient);

beforeEach(() => {
  sns.reset();
  secrets.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  secrets.on(GetSecretValueCommand).resolves({ SecretString: EXTERNAL_ID });
});

const handler = () => createIntakeHandler(env, { sns: new SNSClient({}), secrets: new SecretsManagerClient({}) });
const publishes = (topic: string | undefined) =>
  sns
    .commandCalls(PublishCommand)
    .filter((call) => call.args[0].input.TopicArn === topic)
    .map((call) => call.args[0].input);
const dispatched = () => publishes(env.DISPATCH_TOPIC_ARN);
const audited = () => publishes(env.AUDIT_TOPIC_ARN);

const user = 'arn:aws:iam::111111111111:user/alice';

describe('intake accepts valid requests', () => {
  it.each([
    ['iam-user', 'arn:aws:iam::111111111111:user/alice'],
    ['iam-role', 'arn:aws:iam::111111111111:role/service-role/app'],
    ['lambda-function', 'arn:aws:lambda:eu-west-1:222222222222:function:payments:live'],
    ['ec2-instance', 'arn:aws:ec2:us-west-2:222222222222:instance/i-0123456789abcdef0'],
  ])('dispatches a %s with its entityType attribute and audits "received"', async (type, arn) => {
    const result = await handler()(event(request(arn)));

    expect(result).toEqual({ accepted: 1, rejected: 0 });
    const [dispatch] = dispatched();
    expect(dispatch?.MessageAttributes?.['entityType']).toEqual({ DataType: 'String', StringValue: type });
    const message = DispatchMessageSchema.parse(JSON.parse(dispatch!.Message!));
    expect(message).toMatchObject({ action: 'contain', dryRun: false, entity: { type, requestedArn: arn } });
    expect(audited()).toHaveLength(1);
    expect(audited()[0]?.MessageAttributes?.['kind']?.StringValue).toBe('received');
  });

  // SNS forwards a standard topic's MessageGroupId to standard SQS subscriptions, which makes them
  // fair queues (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html, MessageGroupId;
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-fair-queues.html).
  it("dispatches each request in its account's message group, so one flooded account never delays another", async () => {
    await handler()(event(request(user), request('arn:aws:lambda:eu-west-1:222222222222:function:payments')));
    expect(dispatched().map((d) => d.MessageGroupId)).toEqual(['111111111111', '222222222222']);
  });

  it('carries the JSON body, the Action attribute and the SNS message id as request id', async () => {
    const record = releaseRecord(user, {}, JSON.stringify({ reason: 'done', ticket: 'SEC-1', requestedBy: 'ana', dryRun: true }));
    await handler()(event(record));
    const message = JSON.parse(dispatched()[0]!.Message!);
    expect(message).toMatchObject({
      requestId: record.Sns.MessageId,
      action: 'release',
      reason: 'done',
      ticket: 'SEC-1',
      requestedBy: 'ana',
      dryRun: true,
    });
    expect(audited()[0]?.Subject).toBe('[lockdown] DRY-RUN RECEIVED iam-user alice in 111111111111');
  });

  it('keeps a plain-text body from publishers of the original solution as the reason', async () => {
    await handler()(event(request(user, {}, 'Compromised: keys leaked')));
    expect(JSON.parse(dispatched()[0]!.Message!).reason).toBe('Compromised: keys leaked');
  });

  it('reads the ExternalId secret once per container', async () => {
    const handle = handler();
    await handle(event(request(user)));
    await handle(event(request(user)));
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });

  it("dispatches an attacker's role named like lockdown's own in a member account: protection is by identity", async () => {
    await handler()(event(request('arn:aws:iam::111111111111:role/lockdown-backdoor')));
    expect(dispatched()).toHaveLength(1);
  });

  it('accepts any account when ONBOARDED_ACCOUNTS is "all"', async () => {
    const handle = createIntakeHandler(intakeEnv({ ONBOARDED_ACCOUNTS: 'all' }), {
      sns: new SNSClient({}),
      secrets: new SecretsManagerClient({}),
    });
    await handle(event(request('arn:aws:iam::999999999999:user/x')));
    expect(dispatched()).toHaveLength(1);
  });
});

const withArn = (arn: string) => request(arn);
const badInputs: Array<[string, () => SNSEventRecord, string]> = [
  ['no attributes at all', () => ingressRecord({}), 'unauthenticated'],
  ['ExternalId missing', () => ingressRecord({ Arn: attr(user) }), 'unauthenticated'],
  ['ExternalId empty', () => ingressRecord({ Arn: attr(user), ExternalId: attr('') }), 'unauthenticated'],
  ['ExternalId wrong', () => ingressRecord({ Arn: attr(user), ExternalId: attr('wrong') }), 'unauthenticated'],
  [
    'ExternalId one character short',
    () => ingressRecord({ Arn: attr(user), ExternalId: attr(EXTERNAL_ID.slice(0, -1)) }),
    'unauthenticated',
  ],
  ['ExternalId one character long', () => ingressRecord({ Arn: attr(user), ExternalId: attr(`${EXTERNAL_ID}x`) }), 'unauthenticated'],
  ['ExternalId in upper case', () => ingressRecord({ Arn: attr(user), ExternalId: attr(EXTERNAL_ID.toUpperCase()) }), 'unauthenticated'],
  [
    'ExternalId with unicode look-alike',
    () => ingressRecord({ Arn: attr(user), ExternalId: attr(EXTERNAL_ID.replace('e', 'е')) }),
    'unauthenticated',
  ],
  ['ExternalId with trailing space', () => ingressRecord({ Arn: attr(user), ExternalId: attr(`${EXTERNAL_ID} `) }), 'unauthenticated'],
  ['ExternalId as Binary', () => ingressRecord({ Arn: attr(user), ExternalId: attr(EXTERNAL_ID, 'Binary') }), 'unauthenticated'],
  ['ExternalId as Number', () => ingressRecord({ Arn: attr(user), ExternalId: attr('1234', 'Number') }), 'unauthenticated'],
  ['Arn missing', () => ingressRecord({ ExternalId: attr(EXTERNAL_ID) }), 'invalid-attributes'],
  ['Arn empty', () => ingressRecord({ Arn: attr(''), ExternalId: attr(EXTERNAL_ID) }), 'invalid-attributes'],
  ['Arn as Number', () => ingressRecord({ Arn: attr('123', 'Number'), ExternalId: attr(EXTERNAL_ID) }), 'invalid-attributes'],
  [
    'Arn as String.Array',
    () => ingressRecord({ Arn: attr(`["${user}"]`, 'String.Array'), ExternalId: attr(EXTERNAL_ID) }),
    'invalid-attributes',
  ],
  ['unknown Action', () => request(user, { Action: attr('destroy') }), 'invalid-attributes'],
  ['Action in upper case', () => request(user, { Action: attr('CONTAIN') }), 'invalid-attributes'],
  ['empty Action', () => request(user, { Action: attr('') }), 'invalid-attributes'],
  ['unknown attribute', () => request(user, { Color: attr('red') }), 'invalid-attributes'],
  ['a Region for an ARN that takes none', () => request(user, { Region: attr('us-east-1') }), 'invalid-arn'],
  ['lower-case attribute name', () => ingressRecord({ arn: attr(user), ExternalId: attr(EXTERNAL_ID) }), 'invalid-attributes'],
  ['invalid JSON body', () => request(user, {}, '{"reason": '), 'invalid-body'],
  ['JSON body with unknown field', () => request(user, {}, '{"reason":"x","force":true}'), 'invalid-body'],
  ['dryRun as a string', () => request(user, {}, '{"dryRun":"yes"}'), 'invalid-body'],
  ['reason as a number', () => request(user, {}, '{"reason":42}'), 'invalid-body'],
  ['reason too long', () => request(user, {}, JSON.stringify({ reason: 'r'.repeat(2000) })), 'invalid-body'],
  ['ticket too long', () => request(user, {}, JSON.stringify({ ticket: 't'.repeat(200) })), 'invalid-body'],
  ['empty requestedBy', () => request(user, {}, '{"requestedBy":"  "}'), 'invalid-body'],
  ['JSON array body', () => request(user, {}, '{}[]'), 'invalid-body'],
  ['firstSeenAt not a time', () => request(user, {}, '{"firstSeenAt":"yesterday"}'), 'invalid-body'],
  ['firstSeenAt as epoch milliseconds', () => request(user, {}, '{"firstSeenAt":1729765286000}'), 'invalid-body'],
  ['firstSeenAt an impossible date', () => request(user, {}, '{"firstSeenAt":"2026-02-30T10:00:00Z"}'), 'invalid-body'],
  // The record was published at 2026-11-26T04:00:00Z (test/sns-event.ts): an hour later is in the future.
  ['firstSeenAt in the future', () => request(user, {}, '{"firstSeenAt":"2026-11-26T05:00:00Z"}'), 'invalid-body'],
  ['body over 256 KB', () => request(user, {}, 'x'.repeat(256 * 1024 + 1)), 'body-too-large'],
  ['S3 bucket ARN', () => withArn('arn:aws:s3:::bucket'), 'invalid-arn'],
  ['IAM group ARN', () => withArn('arn:aws:iam::111111111111:group/admins'), 'invalid-arn'],
  ['EC2 volume ARN', () => withArn('arn:aws:ec2:us-east-1:111111111111:volume/vol-0123456789abcdef0'), 'invalid-arn'],
  ['account id of 11 digits', () => withArn('arn:aws:iam::11111111111:user/alice'), 'invalid-arn'],
  ['IAM ARN with region', () => withArn('arn:aws:iam:us-east-1:111111111111:user/alice'), 'invalid-arn'],
  ['bad region', () => withArn('arn:aws:lambda:xx-nowhere:111111111111:function:f'), 'invalid-arn'],
  ['name with forbidden character', () => withArn('arn:aws:iam::111111111111:user/ali ce'), 'invalid-arn'],
  ['ARN with newline', () => withArn(`${user}\n`), 'invalid-arn'],
  ['ARN with control character', () => withArn(`${user}\u0007`), 'invalid-arn'],
  ['not an ARN', () => withArn('alice'), 'invalid-arn'],
  ['over-long ARN', () => withArn(`${user}${'x'.repeat(3000)}`), 'invalid-arn'],
  ['account not onboarded', () => withArn('arn:aws:iam::333333333333:user/alice'), 'account-not-onboarded'],
  ['protected role from configuration', () => withArn('arn:aws:iam::111111111111:role/BreakGlass'), 'protected-principal'],
  ['protected user from configuration', () => withArn('arn:aws:iam::111111111111:user/root-automation'), 'protected-principal'],
  ['lockdown member role', () => withArn('arn:aws:iam::111111111111:role/lockdown-member'), 'protected-principal'],
  ['lockdown service role', () => withArn('arn:aws:iam::222222222222:role/lockdown-intake'), 'protected-principal'],
  ['lockdown function', () => withArn('arn:aws:lambda:us-east-1:222222222222:function:lockdown-intake'), 'protected-principal'],
  [
    'service-linked role',
    () => withArn('arn:aws:iam::111111111111:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS'),
    'service-linked-role',
  ],
];

describe('intake rejects bad input with an audited reason and no other call', () => {
  it.each(badInputs)('rejects %s', async (_label, build, code) => {
    const result = await handler()(event(build()));

    expect(result).toEqual({ accepted: 0, rejected: 1 });
    expect(dispatched()).toHaveLength(0);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    const [audit] = audited();
    expect(audit?.MessageAttributes?.['kind']?.StringValue).toBe('rejected');
    expect(audit?.Subject?.startsWith('[lockdown] REJECTED')).toBe(true);
    expect(audit?.Message).toContain(`Reason code: ${code}`);
  });

  it('never includes the presented ExternalId in the audit record', async () => {
    await handler()(event(ingressRecord({ Arn: attr(user), ExternalId: attr('guess-Xy9') })));
    expect(JSON.stringify(audited())).not.toContain('guess-Xy9');
  });

  it('handles a duplicated record once and audits the duplicate', async () => {
    const record = request(user);
    const result = await handler()(event(record, record));
    expect(result).toEqual({ accepted: 1, rejected: 1 });
    expect(dispatched()).toHaveLength(1);
    expect(
      audited()
        .map((a) => a.Message)
        .join(),
    ).toContain('Reason code: duplicate-record');
  });

  it('dispatches the good records of a mixed event and rejects the bad ones', async () => {
    const result = await handler()(event(request(user), withArn('arn:aws:s3:::b'), request('arn:aws:iam::222222222222:role/r')));
    expect(result).toEqual({ accepted: 2, rejected: 1 });
    expect(dispatched()).toHaveLength(2);
  });
});

describe('release is its own authority: the topic a request came through, as SNS says', () => {
  const kindOf = (audit?: { MessageAttributes?: Record<string, { StringValue?: string }> }) =>
    audit?.MessageAttributes?.['kind']?.StringValue;

  it('rejects a release published to the ingress topic: audited with the reason, nothing dispatched', async () => {
    // Act
    const result = await handler()(event(request(user, { Action: attr('release') })));
    // Assert
    expect(result).toEqual({ accepted: 0, rejected: 1 });
    expect(dispatched()).toHaveLength(0);
    const [audit] = audited();
    expect(kindOf(audit)).toBe('rejected');
    expect(audit?.Message).toContain('Reason code: release-on-ingress-topic');
    expect(audit?.Message).toMatch(/^REJECTED: release requests go to the release topic/);
    expect(audit?.Message).toContain(`ARN:         ${user}`);
    expect(audit?.Message).toContain('Action:      release');
    expect(audit?.Message).toContain('Authority:   the ingress topic (lockdown-ingress)');
  });

  it('dispatches a release from the release topic, and its audit record names that authority', async () => {
    const result = await handler()(event(releaseRecord(user)));
    expect(result).toEqual({ accepted: 1, rejected: 0 });
    expect(JSON.parse(dispatched()[0]!.Message!)).toMatchObject({ action: 'release', authority: 'release' });
    expect(audited()[0]?.Message).toContain('Authority:   the release topic (lockdown-release)');
  });

  it('names the Security Hub release action and its finding when the release carries a finding', async () => {
    const finding = {
      id: 'arn:aws:securityhub:us-east-1:111111111111:finding/f1',
      productArn: 'arn:aws:securityhub:us-east-1::product/aws/securityhub',
    };
    await handler()(event(releaseRecord(user, {}, JSON.stringify({ finding }))));
    expect(audited()[0]?.Message).toContain(
      `Authority:   the Security Hub release action on finding ${finding.id}, through the release topic`,
    );
  });

  it.each([
    ['a containment through the release topic', () => releaseRecord(user, { Action: attr('contain') }), 'contain-on-release-topic'],
    [
      'a release topic record without Action (contain by default)',
      () => ingressRecord({ Arn: attr(user), ExternalId: attr(EXTERNAL_ID) }, '', undefined, env.RELEASE_TOPIC_ARN),
      'contain-on-release-topic',
    ],
    [
      'a record from another topic',
      () => ingressRecord({ Arn: attr(user), ExternalId: attr(EXTERNAL_ID) }, '', undefined, 'arn:aws:sns:us-east-1:999999999999:x'),
      'unknown-topic',
    ],
  ])('rejects %s: audited with the reason, nothing dispatched', async (_name, build, code) => {
    const result = await handler()(event(build()));
    expect(result).toEqual({ accepted: 0, rejected: 1 });
    expect(dispatched()).toHaveLength(0);
    expect(kindOf(audited()[0])).toBe('rejected');
    expect(audited()[0]?.Message).toContain(`Reason code: ${code}`);
  });
});

describe('intake fails loudly on internal errors', () => {
  it('throws when the dispatch publish fails, so Lambda retries the event', async () => {
    sns.on(PublishCommand, { TopicArn: env.DISPATCH_TOPIC_ARN }).rejects(new Error('SNS down'));
    await expect(handler()(event(request(user)))).rejects.toThrow('SNS down');
  });

  it('throws when the ExternalId secret cannot be read, and dispatches nothing', async () => {
    secrets.on(GetSecretValueCommand).rejects(new Error('AccessDeniedException'));
    await expect(handler()(event(request(user)))).rejects.toThrow('AccessDeniedException');
    expect(dispatched()).toHaveLength(0);
  });

  it('refuses to start without configuration and names what is missing', () => {
    expect(() => createIntakeHandler({ ...env, EXTERNAL_ID_SECRET_ARN: undefined, ONBOARDED_ACCOUNTS: 'some' })).toThrow(
      /EXTERNAL_ID_SECRET_ARN is not set.*ONBOARDED_ACCOUNTS must be "all" or a comma-separated list/,
    );
    // Without the security account it could not tell lockdown's own roles and functions from an attacker's.
    expect(() => createIntakeHandler({ ...env, SECURITY_ACCOUNT_ID: undefined })).toThrow(/SECURITY_ACCOUNT_ID must be the 12-digit id/);
  });

  it('refuses to start without the two topics it takes requests from', () => {
    expect(() => createIntakeHandler({ ...env, RELEASE_TOPIC_ARN: undefined, INGRESS_TOPIC_ARN: 'lockdown-ingress' })).toThrow(
      /INGRESS_TOPIC_ARN must be the ARN of the ingress topic.*RELEASE_TOPIC_ARN is not set/,
    );
    expect(() => createIntakeHandler({ ...env, RELEASE_TOPIC_ARN: env.INGRESS_TOPIC_ARN })).toThrow(
      /RELEASE_TOPIC_ARN must not be the ingress topic/,
    );
  });

  it('fails closed when the secret is empty', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '  ' });
    await expect(handler()(event(request(user)))).rejects.toThrow(/is empty/);
    expect(dispatched()).toHaveLength(0);
  });
});
