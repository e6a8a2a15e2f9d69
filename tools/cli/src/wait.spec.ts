import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { AuditTrail, DynamoDbLedger } from '@lockdown/aws';
import type { LedgerRecord } from '@lockdown/containment';
import { LocalDynamo, fauxqsEndpoint, localMessagingClients, startDynalite } from '@lockdown/sandbox';
import { runPublishCommand } from './commands/publish-command';
import { stateOf } from './commands/follow';
import { EXIT } from './errors';
import { Output } from './output';

const USER = 'arn:aws:iam::111111111111:user/alice';
const PROTECTED = 'arn:aws:iam::111111111111:role/lockdown-member';

const record = (requestId: string, status: LedgerRecord['status']): LedgerRecord => ({
  arn: USER,
  entityType: 'iam-user',
  cycle: 1,
  status,
  request: { requestId, requestedAt: '2026-11-26T04:00:00.000Z' },
  original: { capturedAt: '2026-11-26T04:00:00.000Z', requestId, state: {} },
  steps: [],
  timeline: [{ at: '2026-11-26T04:00:00.000Z', requestId, event: 'containment started' }],
  updatedAt: '2026-11-26T04:00:00.000Z',
});

describe('what the ledger says about a request', () => {
  it.each<[string, 'contain' | 'release', LedgerRecord | undefined, LedgerRecord | undefined, string]>([
    ['no record yet', 'contain', undefined, undefined, 'waiting'],
    ["another request's record", 'contain', record('other', 'contained'), undefined, 'waiting'],
    ['its containment under way (EC2 phase 1)', 'contain', record('req', 'containing'), undefined, 'containing'],
    ['contained', 'contain', record('req', 'contained'), undefined, 'contained'],
    ['failed', 'contain', record('req', 'failed'), undefined, 'failed'],
    ['a release of something never contained', 'release', undefined, undefined, 'not-contained'],
    [
      'a release under way',
      'release',
      { ...record('c', 'releasing'), timeline: [{ at: 'x', requestId: 'req', event: 'release started' }] },
      record('c', 'contained'),
      'releasing',
    ],
    [
      'released by it',
      'release',
      { ...record('c', 'released'), release: { requestId: 'req', at: 'x' } },
      record('c', 'contained'),
      'released',
    ],
  ])('%s', (_case, action, now, before, expected) => {
    expect(stateOf(action, now, 'req', before)).toBe(expected);
  });
});

// `lockdown contain --wait` / `release --wait`: the real command, SNS on fauxqs, the ledgers on dynalite;
// the test plays the service (it writes the ledger records a service writes, with the real adapter).
describe('lockdown contain/release --wait', () => {
  let dynamo: LocalDynamo;
  let ledger: DynamoDbLedger;
  const { sns, sqs } = localMessagingClients(fauxqsEndpoint());
  let topicArn: string;
  let queueUrl: string;

  beforeAll(async () => {
    dynamo = await startDynalite();
    ledger = new DynamoDbLedger(await dynamo.createLedgerTable('lockdown-iam-lockdown-ledger'), dynamo.client);
    topicArn = (await sns.send(new CreateTopicCommand({ Name: `wait-${Date.now()}` }))).TopicArn!;
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `wait-${Date.now()}` }))).QueueUrl!;
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes![
      'QueueArn'
    ]!;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: arn }));
  });
  afterAll(() => dynamo.stop());

  /** Receives the published requests (request id = SNS message id) and records what a service would, for the user's latest request of that action only. */
  async function service(act: (requestId: string) => Promise<void>, action: 'contain' | 'release' = 'contain') {
    for (let i = 0; i < 20; i += 1) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }),
      );
      for (const m of Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
      const mine = Messages.map((m) => JSON.parse(m.Body!))
        .filter((m) => m.MessageAttributes.Arn.Value === USER && m.MessageAttributes.Action.Value === action)
        .at(-1);
      if (mine) return act(mine.MessageId);
    }
  }

  async function lockdown(
    action: 'contain' | 'release',
    arns: string[],
    timeout: string,
    extra: { json?: boolean; auditTopicArn?: string } = {},
  ) {
    const lines: string[] = [];
    const output = new Output(
      extra.json ?? false,
      (t) => lines.push(t),
      (t) => lines.push(t),
    );
    const code = await runPublishCommand(
      action,
      arns,
      {
        ...(action === 'release' ? { releaseTopicArn: topicArn } : { topicArn }),
        externalId: 'x',
        wait: true,
        timeout,
        ...(extra.auditTopicArn ? { auditTopicArn: extra.auditTopicArn } : {}),
      },
      output,
      sns,
      () => dynamo.client,
      () => sqs,
    );
    output.flush();
    return { code, lines };
  }

  it('follows each request until its outcome, one line per change, and exits 1 when one did not finish', async () => {
    const serving = service(async (requestId) => {
      await ledger.create(record(requestId, 'containing'), undefined);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await ledger.setStatus(USER, 1, 'contained', { at: '2026-11-26T04:00:02.000Z', requestId, event: 'contained and verified' });
    });
    const { code, lines } = await lockdown('contain', [USER, PROTECTED], '4');
    await serving;
    expect(code).toBe(EXIT.failed);
    const progress = lines.filter((l) => /^(containing|contained|timed-out) /.test(l));
    expect(progress[0]).toMatch(/^containing +arn:aws:iam::111111111111:user\/alice {2}\(\d+(\.\d)? s\) {2}containment started$/);
    expect(progress).toContainEqual(
      expect.stringMatching(/^contained +arn:aws:iam::111111111111:user\/alice {2}\(.*\) {2}contained and verified$/),
    );
    expect(progress).toContainEqual(
      expect.stringMatching(/^timed-out +arn:aws:iam::111111111111:role\/lockdown-member .*refused by the intake \(see the audit email\)/),
    );
    expect(lines.at(-1)).toBe(`1 of 2 request(s) did not finish: ${PROTECTED} timed-out`);
  }, 30_000);

  it('follows a release to the end (exit 0), and says at once when there is nothing to release', async () => {
    const serving = service(async (requestId) => {
      await ledger.setStatus(
        USER,
        1,
        'released',
        { at: '2026-11-26T04:00:03.000Z', requestId, event: 'released: recorded state restored' },
        {
          release: { requestId, at: '2026-11-26T04:00:03.000Z' },
        },
      );
    }, 'release');
    const released = await lockdown('release', [USER], '10');
    await serving;
    expect(released.code).toBe(EXIT.ok);
    expect(released.lines).toContainEqual(
      expect.stringMatching(/^released +arn:aws:iam::111111111111:user\/alice {2}\(.*\) {2}released: recorded state restored$/),
    );

    const again = await lockdown('release', [USER], '10');
    expect(again.code).toBe(EXIT.nothingToRelease);
    expect(again.lines).toContainEqual(expect.stringMatching(/^not-contained .*lockdown had no containment of it to release/));
    expect(again.lines.at(-1)).toBe(`nothing to release: lockdown never contained ${USER} (or released it already)`);
  }, 30_000);

  it('learns of an intake refusal at once from the audit topic, not after the timeout (exit 1)', async () => {
    const auditTopicArn = (await sns.send(new CreateTopicCommand({ Name: `wait-audit-${Date.now()}` }))).TopicArn!;
    const audit = new AuditTrail({ topicArn: auditTopicArn, sns, logger: new Logger(), metrics: new Metrics() });
    // The intake's refusal, as the intake records it (the real AuditTrail: attributes kind and requestId on the audit topic).
    const intake = service(async (requestId) =>
      audit.record({
        kind: 'rejected',
        requestId,
        source: 'intake',
        at: new Date().toISOString(),
        code: 'unauthenticated',
        detail: 'ExternalId does not match',
      }),
    );
    const started = Date.now();
    const { code, lines } = await lockdown('contain', [USER], '60', { auditTopicArn });
    await intake;
    expect(code).toBe(EXIT.failed);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^refused +arn:aws:iam::111111111111:user\/alice {2}\(.*\) {2}refused by the intake \(unauthenticated\): ExternalId does not match$/,
      ),
    );
    expect(lines.at(-1)).toBe(`1 of 1 request(s) did not finish: ${USER} refused`);
  }, 30_000);

  it('prints exactly one JSON document with --wait --json (what was sent and how each ended)', async () => {
    const serving = service(async (requestId) => {
      await ledger.setStatus(USER, 1, 'contained', { at: '2026-11-26T04:00:04.000Z', requestId, event: 'contained and verified' });
    });
    const { lines } = await lockdown('contain', [USER], '3', { json: true });
    await serving;
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ action: 'contain', published: 1, followed: [{ arn: USER }] });
  }, 30_000);

  it('refuses --wait with --dry-run, and a bad --timeout, before sending anything (exit 2)', async () => {
    const quiet = new Output(true, () => undefined);
    const base = { topicArn, externalId: 'x', wait: true };
    await expect(runPublishCommand('contain', [USER], { ...base, dryRun: true }, quiet, sns)).rejects.toMatchObject({
      exitCode: EXIT.invalidInput,
    });
    await expect(runPublishCommand('contain', [USER], { ...base, timeout: 'soon' }, quiet, sns)).rejects.toMatchObject({
      exitCode: EXIT.invalidInput,
    });
  });
});
