import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { DynamoDbLedger } from '@lockdown/aws';
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

  /** Receives the published requests (request id = SNS message id) and records what a service would, for the user only. */
  async function service(act: (requestId: string) => Promise<void>) {
    for (let i = 0; i < 20; i += 1) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }),
      );
      const mine = Messages.map((m) => JSON.parse(m.Body!)).find((m) => m.MessageAttributes.Arn.Value === USER);
      if (mine) return act(mine.MessageId);
    }
  }

  async function lockdown(action: 'contain' | 'release', arns: string[], timeout: string) {
    const lines: string[] = [];
    const output = new Output(
      false,
      (t) => lines.push(t),
      (t) => lines.push(t),
    );
    const code = await runPublishCommand(
      action,
      arns,
      { ...(action === 'release' ? { releaseTopicArn: topicArn } : { topicArn }), externalId: 'x', wait: true, timeout },
      output,
      sns,
      () => dynamo.client,
    );
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
    });
    const released = await lockdown('release', [USER], '10');
    await serving;
    expect(released.code).toBe(EXIT.ok);
    expect(released.lines).toContainEqual(
      expect.stringMatching(/^released +arn:aws:iam::111111111111:user\/alice {2}\(.*\) {2}released: recorded state restored$/),
    );

    const again = await lockdown('release', [USER], '10');
    expect(again.code).toBe(EXIT.ok);
    expect(again.lines).toContainEqual(expect.stringMatching(/^not-contained .*lockdown had no containment of it to release/));
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
