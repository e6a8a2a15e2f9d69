import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import type { SNSEventRecord } from 'aws-lambda';
import { parseEntityArn } from '@lockdown/contracts';
import { EXTERNAL_ID, attr, event, ingressRecord, intakeEnv } from '../test/sns-event';
import { createIntakeHandler } from './handler';

const env = intakeEnv();
const sns = mockClient(SNSClient);
const secrets = mockClient(SecretsManagerClient);
secrets.on(GetSecretValueCommand).resolves({ SecretString: EXTERNAL_ID });
const handle = createIntakeHandler(env, { sns: new SNSClient({}), secrets: new SecretsManagerClient({}) });
const VALID = 'arn:aws:iam::111111111111:user/alice';
let cases = 0;

/** Every malformed request: rejected with a reason code, nothing dispatched, no other call. */
async function expectRejected(record: SNSEventRecord): Promise<void> {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  const result = await handle(event(record));
  const publishes = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
  expect(result).toEqual({ accepted: 0, rejected: 1 });
  expect(publishes).toHaveLength(1);
  expect(publishes[0]!.TopicArn).toBe(env.AUDIT_TOPIC_ARN);
  expect(publishes[0]!.MessageAttributes?.['kind']?.StringValue).toBe('rejected');
  expect(publishes[0]!.Message).toMatch(/Reason code: [a-z-]+/);
  expect(publishes[0]!.Message).toMatch(/^REJECTED: .{10,}/);
  cases += 1;
}

const request = (arn: string, extra: Record<string, unknown> = {}, body = '') =>
  ingressRecord({ Arn: attr(arn), ExternalId: attr(EXTERNAL_ID), ...extra }, body);
const invalidArn = (arn: string) => !parseEntityArn(arn).ok;

describe('bad input through the intake (generated)', () => {
  afterAll(() => {
    // The count is part of the evidence: at least 100 generated cases.
    expect(cases).toBeGreaterThanOrEqual(200);
  });

  it('rejects random strings as ARNs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 120 }).filter(invalidArn), (arn) => expectRejected(request(arn))),
      { numRuns: 50 },
    );
  });

  it('rejects valid ARNs with one character of whitespace or control inserted anywhere', async () => {
    const bad = fc.tuple(
      fc.integer({ min: 0, max: VALID.length }),
      fc.constantFrom(' ', '\t', '\n', '\r', '\u0000', '\u0007', '\u007f', '\u00a0', '\u200b', '\u2028', '\ufeff'),
    );
    await fc.assert(
      fc.asyncProperty(bad, ([at, c]) => expectRejected(request(VALID.slice(0, at) + c + VALID.slice(at)))),
      { numRuns: 40 },
    );
  });

  it('rejects ARNs of other services, other resource types, bad accounts and bad regions', async () => {
    const arn = fc.oneof(
      fc
        .tuple(fc.constantFrom('s3', 'dynamodb', 'sqs', 'sns', 'kms', 'rds', 'ecs', 'eks'), fc.stringMatching(/^[a-z0-9/-]{1,20}$/))
        .map(([svc, res]) => `arn:aws:${svc}:us-east-1:111111111111:${res}`),
      fc
        .constantFrom('group', 'policy', 'instance-profile', 'mfa', 'saml-provider', 'server-certificate')
        .map((t) => `arn:aws:iam::111111111111:${t}/x`),
      fc
        .constantFrom('volume', 'snapshot', 'security-group', 'vpc', 'image', 'network-interface')
        .map((t) => `arn:aws:ec2:us-east-1:111111111111:${t}/x-0123456789abcdef0`),
      fc.stringMatching(/^[0-9]{1,11}$|^[0-9]{13,16}$|^[0-9]{5}[a-z][0-9]{6}$/).map((account) => `arn:aws:iam::${account}:user/alice`),
      fc
        .stringMatching(/^[a-z]{1,8}(-[a-z0-9]{1,8}){0,3}$/)
        .filter((r) => !/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/.test(r))
        .map((region) => `arn:aws:lambda:${region}:111111111111:function:f`),
    );
    await fc.assert(
      fc.asyncProperty(arn.filter(invalidArn), (a) => expectRejected(request(a))),
      { numRuns: 50 },
    );
  });

  it('rejects malformed attributes: missing, empty, wrong DataType, unknown, wrong ExternalId', async () => {
    const attributes = fc.oneof(
      fc.record({ Arn: fc.constant(attr(VALID)) }),
      fc.record({ ExternalId: fc.constant(attr(EXTERNAL_ID)) }),
      fc
        .constantFrom('Number', 'Binary', 'String.Array', 'string', '')
        .map((Type) => ({ Arn: attr(VALID, Type), ExternalId: attr(EXTERNAL_ID) })),
      fc.constantFrom('Number', 'Binary', 'String.Array').map((Type) => ({ Arn: attr(VALID), ExternalId: attr(EXTERNAL_ID, Type) })),
      fc
        .string({ minLength: 1, maxLength: 40 })
        .filter((id) => id !== EXTERNAL_ID)
        .map((id) => ({ Arn: attr(VALID), ExternalId: attr(id) })),
      fc
        .stringMatching(/^[A-Za-z][A-Za-z0-9]{0,15}$/)
        .filter((k) => !['Arn', 'ExternalId', 'Action'].includes(k))
        .map((k) => ({ Arn: attr(VALID), ExternalId: attr(EXTERNAL_ID), [k]: attr('x') })),
      fc
        .string({ maxLength: 12 })
        .filter((a) => a !== 'contain' && a !== 'release')
        .map((a) => ({ Arn: attr(VALID), ExternalId: attr(EXTERNAL_ID), Action: attr(a) })),
    );
    await fc.assert(
      fc.asyncProperty(attributes, (a) => expectRejected(ingressRecord(a))),
      { numRuns: 50 },
    );
  });

  it('rejects bodies that start like JSON but are not a valid request body', async () => {
    const body = fc.oneof(
      fc
        .string({ maxLength: 60 })
        .map((s) => `{${s}`)
        .filter((s) => {
          try {
            JSON.parse(s);
            return false;
          } catch {
            return true;
          }
        }),
      fc
        .dictionary(
          fc.stringMatching(/^[a-z]{1,10}$/).filter((k) => !['reason', 'ticket', 'requestedBy', 'dryRun'].includes(k)),
          fc.jsonValue(),
          { minKeys: 1, maxKeys: 3 },
        )
        .map((o) => JSON.stringify(o)),
      fc.record({ dryRun: fc.oneof(fc.string(), fc.integer(), fc.constant(null)) }).map((o) => JSON.stringify(o)),
      fc
        .record({ reason: fc.oneof(fc.integer(), fc.boolean(), fc.constant(''), fc.string({ minLength: 1025, maxLength: 1100 })) })
        .map((o) => JSON.stringify(o)),
    );
    await fc.assert(
      fc.asyncProperty(body, (b) => expectRejected(request(VALID, {}, b))),
      { numRuns: 50 },
    );
  });
});
