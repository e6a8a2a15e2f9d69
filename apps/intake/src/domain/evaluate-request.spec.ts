import { parseScope } from '@lockdown/contracts';
import { EXTERNAL_ID, INGRESS_TOPIC, RELEASE_TOPIC, ingressRecord, releaseRecord } from '../../test/sns-event';
import { IntakePolicy, evaluateRequest } from './evaluate-request';

// The security account (999999999999) is onboarded too: lockdown's own resources there are refused as protected.
const policy: IntakePolicy = {
  expectedExternalId: EXTERNAL_ID,
  ...parseScope({
    onboardedAccounts: '111111111111,999999999999',
    protectedPrincipals: 'arn:aws:iam::*:role/BreakGlass',
    securityAccountId: '999999999999',
  }),
  topics: { ingress: INGRESS_TOPIC, release: RELEASE_TOPIC },
};
const attrs = (arn: string, extra: Record<string, string> = {}) =>
  Object.fromEntries(Object.entries({ Arn: arn, ExternalId: EXTERNAL_ID, ...extra }).map(([k, v]) => [k, { Type: 'String', Value: v }]));

describe('evaluateRequest', () => {
  it('carries the finding a request answers to the services (outcomes are written back to it)', () => {
    // Arrange
    const finding = {
      id: 'arn:aws:guardduty:us-east-1:111111111111:detector/d1/finding/f1',
      productArn: 'arn:aws:securityhub:us-east-1::product/aws/guardduty',
    };
    const body = JSON.stringify({ reason: 'GuardDuty', finding });
    // Act
    const decision = evaluateRequest(ingressRecord(attrs('arn:aws:iam::111111111111:user/alice'), body), policy);
    const malformed = evaluateRequest(
      ingressRecord(attrs('arn:aws:iam::111111111111:user/alice'), JSON.stringify({ finding: { id: 'x' } })),
      policy,
    );
    // Assert
    expect(decision.accepted && decision.message.finding).toEqual(finding);
    expect(malformed.accepted).toBe(false);
    expect(!malformed.accepted && malformed.code).toBe('invalid-body');
  });

  it("carries when the compromise was first seen to the services, as a UTC time (the sweep's lookback starts there)", () => {
    const user = attrs('arn:aws:iam::111111111111:user/alice');
    // The record was published at 2026-11-26T04:00:00Z (test/sns-event.ts).
    const decision = evaluateRequest(ingressRecord(user, JSON.stringify({ firstSeenAt: '2026-11-24T22:00:00+02:00' })), policy);
    const skewed = evaluateRequest(ingressRecord(user, JSON.stringify({ firstSeenAt: '2026-11-26T04:04:00Z' })), policy);
    const future = evaluateRequest(ingressRecord(user, JSON.stringify({ firstSeenAt: '2026-11-26T04:06:00Z' })), policy);

    expect(decision.accepted && decision.message.firstSeenAt).toBe('2026-11-24T20:00:00.000Z');
    // Clocks differ a little: up to five minutes after the request is taken as the request's own time.
    expect(skewed.accepted && skewed.message.firstSeenAt).toBe('2026-11-26T04:04:00.000Z');
    expect(!future.accepted && [future.code, future.reason]).toEqual([
      'invalid-body',
      'message body: firstSeenAt (2026-11-26T04:06:00.000Z) is after the request (2026-11-26T04:00:00.000Z): a compromise cannot be first seen in the future',
    ]);
  });

  it.each([
    [
      'a user in an onboarded account',
      attrs('arn:aws:iam::111111111111:user/ops/alice'),
      '',
      { accepted: true, type: 'iam-user', action: 'contain' },
    ],
    [
      'a function with an alias: the whole function',
      attrs('arn:aws:lambda:eu-west-1:111111111111:function:pay:live'),
      '',
      { accepted: true, type: 'lambda-function', action: 'contain' },
    ],
    [
      'a plain-text body is the reason',
      attrs('arn:aws:ec2:eu-west-1:111111111111:instance/i-0123456789abcdef0'),
      'keys on pastebin',
      { accepted: true, type: 'ec2-instance', action: 'contain' },
    ],
    [
      'one session of a role',
      attrs('arn:aws:sts::111111111111:assumed-role/app/stolen-laptop'),
      '',
      { accepted: true, type: 'iam-role-session', action: 'contain' },
    ],
    [
      "an attacker's role named like lockdown's own, in a member account",
      attrs('arn:aws:iam::111111111111:role/lockdown-backdoor'),
      '',
      { accepted: true, type: 'iam-role', action: 'contain' },
    ],
    [
      "an attacker's function named like lockdown's, in a member account",
      attrs('arn:aws:lambda:us-east-1:111111111111:function:lockdown-intake'),
      '',
      { accepted: true, type: 'lambda-function', action: 'contain' },
    ],
    [
      'a stolen session of an organization role',
      attrs('arn:aws:sts::111111111111:assumed-role/OrganizationAccountAccessRole/alice'),
      '',
      { accepted: true, type: 'iam-role-session', action: 'contain' },
    ],
    [
      'a bucket with its owner in AccountId',
      attrs('arn:aws:s3:::customer-data', { AccountId: '111111111111' }),
      '',
      { accepted: true, type: 's3-bucket', action: 'contain' },
    ],
    [
      'an Identity Center user with its Identity Center account and region',
      attrs('arn:aws:identitystore:::user/0f2b6a1e-70d1-4e5f-9a3b-1c2d3e4f5a6b', { AccountId: '111111111111', Region: 'eu-west-1' }),
      '',
      { accepted: true, type: 'identity-center-user', action: 'contain' },
    ],
  ])('accepts %s', (_name, attributes, body, expected) => {
    // Act
    const decision = evaluateRequest(ingressRecord(attributes, body), policy);
    // Assert
    expect(decision.accepted).toBe(true);
    if (!decision.accepted) return;
    expect({ accepted: true, type: decision.message.entity.type, action: decision.message.action }).toEqual(expected);
  });

  it.each([
    [
      'a wrong ExternalId',
      { ...attrs('arn:aws:iam::111111111111:user/alice'), ExternalId: { Type: 'String', Value: 'nope' } },
      '',
      'unauthenticated',
    ],
    ['no Arn', { ExternalId: { Type: 'String', Value: EXTERNAL_ID } }, '', 'invalid-attributes'],
    ['an unknown attribute', attrs('arn:aws:iam::111111111111:user/alice', { Color: 'red' }), '', 'invalid-attributes'],
    ['an unknown Action', attrs('arn:aws:iam::111111111111:user/alice', { Action: 'delete' }), '', 'invalid-attributes'],
    ['a JSON body with an unknown field', attrs('arn:aws:iam::111111111111:user/alice'), '{"reason":"x","color":"red"}', 'invalid-body'],
    ['a bucket without AccountId (S3 ARNs name no account)', attrs('arn:aws:s3:::bucket'), '', 'invalid-arn'],
    ['an S3 object', attrs('arn:aws:s3:::bucket/key', { AccountId: '111111111111' }), '', 'invalid-arn'],
    ['a bucket in an account not onboarded', attrs('arn:aws:s3:::bucket', { AccountId: '222222222222' }), '', 'account-not-onboarded'],
    [
      "the security account's CDK bootstrap bucket",
      attrs('arn:aws:s3:::cdk-hnb659fds-assets-999999999999-us-east-1', { AccountId: '999999999999' }),
      '',
      'protected-principal',
    ],
    ['an empty AccountId', attrs('arn:aws:s3:::bucket', { AccountId: '' }), '', 'invalid-attributes'],
    [
      'an Identity Center user without the Region of its instance',
      attrs('arn:aws:identitystore:::user/0f2b6a1e-70d1-4e5f-9a3b-1c2d3e4f5a6b', { AccountId: '111111111111' }),
      '',
      'invalid-arn',
    ],
    [
      'an Identity Center user in an account not onboarded',
      attrs('arn:aws:identitystore:::user/0f2b6a1e-70d1-4e5f-9a3b-1c2d3e4f5a6b', { AccountId: '222222222222', Region: 'eu-west-1' }),
      '',
      'account-not-onboarded',
    ],
    [
      'an AccountId that contradicts the ARN',
      attrs('arn:aws:iam::111111111111:user/alice', { AccountId: '222222222222' }),
      '',
      'invalid-arn',
    ],
    ['an account not onboarded', attrs('arn:aws:iam::222222222222:user/alice'), '', 'account-not-onboarded'],
    ['a configured protected principal', attrs('arn:aws:iam::111111111111:role/BreakGlass'), '', 'protected-principal'],
    ["lockdown's member role", attrs('arn:aws:iam::111111111111:role/lockdown-member'), '', 'protected-principal'],
    ["lockdown's own function", attrs('arn:aws:lambda:us-east-1:999999999999:function:lockdown-intake'), '', 'protected-principal'],
    ["lockdown's own service role", attrs('arn:aws:iam::999999999999:role/lockdown-iam-lockdown'), '', 'protected-principal'],
    ["a session of lockdown's member role", attrs('arn:aws:sts::111111111111:assumed-role/lockdown-member/x1'), '', 'protected-principal'],
    [
      'a session of a service-linked role',
      attrs('arn:aws:sts::111111111111:assumed-role/AWSServiceRoleForSupport/x1'),
      '',
      'service-linked-role',
    ],
    [
      'a service-linked role',
      attrs('arn:aws:iam::111111111111:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing'),
      '',
      'service-linked-role',
    ],
  ])('rejects %s', (_name, attributes, body, code) => {
    const decision = evaluateRequest(ingressRecord(attributes, body), policy);
    expect(decision.accepted ? 'accepted' : decision.code).toBe(code);
  });
});

describe('evaluateRequest: release is its own authority (the topic SNS says a request came through)', () => {
  const role = 'arn:aws:iam::111111111111:role/app';

  it('accepts a release from the release topic and records that authority', () => {
    // Act
    const decision = evaluateRequest(releaseRecord(role), policy);
    // Assert
    expect(decision.accepted && [decision.message.action, decision.message.authority]).toEqual(['release', 'release']);
  });

  it('records the ingress topic as the authority of a containment', () => {
    const decision = evaluateRequest(ingressRecord(attrs(role)), policy);
    expect(decision.accepted && [decision.message.action, decision.message.authority]).toEqual(['contain', 'ingress']);
  });

  it.each([
    [
      'a release through the ingress topic',
      ingressRecord(attrs(role, { Action: 'release' })),
      'release-on-ingress-topic',
      /release requests go to the release topic/,
    ],
    [
      'a containment through the release topic',
      ingressRecord(attrs(role), '', undefined, RELEASE_TOPIC),
      'contain-on-release-topic',
      /the release topic takes release requests only/,
    ],
    [
      'an explicit contain through the release topic',
      releaseRecord(role, { Action: { Type: 'String', Value: 'contain' } }),
      'contain-on-release-topic',
      /release topic/,
    ],
    [
      'a record from a topic lockdown does not know',
      ingressRecord(attrs(role), '', undefined, 'arn:aws:sns:us-east-1:999999999999:other'),
      'unknown-topic',
      /arrived from arn:aws:sns:us-east-1:999999999999:other/,
    ],
    ['a record without a topic', ingressRecord(attrs(role), '', undefined, ''), 'unknown-topic', /arrived from no topic/],
  ])('rejects %s, with a reason', (_name, record, code, reason) => {
    // Act
    const decision = evaluateRequest(record, policy);
    // Assert
    expect(decision.accepted ? 'accepted' : [decision.code, decision.reason]).toEqual([code, expect.stringMatching(reason)]);
  });

  it('still requires the ExternalId on the release topic', () => {
    const decision = evaluateRequest(releaseRecord(role, { ExternalId: { Type: 'String', Value: 'nope' } }), policy);
    expect(decision.accepted ? 'accepted' : decision.code).toBe('unauthenticated');
  });
});
