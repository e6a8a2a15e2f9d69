import { setTimeout as delay } from 'node:timers/promises';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ApiPacer, OwnQueue, createSqsHandler } from '@lockdown/aws';
import { ContainmentError } from '@lockdown/containment';
import { parseScope } from '@lockdown/contracts';
import { dispatchMessage, fauxqsEndpoint, localMessagingClients } from '@lockdown/sandbox';
import { SqsEventSource } from './event-sources';

const { sqs } = localMessagingClients(fauxqsEndpoint());

async function queue(name: string, visibilityTimeout = 5) {
  const url = (
    await sqs.send(
      new CreateQueueCommand({ QueueName: `${name}-${Date.now()}`, Attributes: { VisibilityTimeout: String(visibilityTimeout) } }),
    )
  ).QueueUrl!;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!['QueueArn']!;
  return { url, arn };
}

const tenantOf = (m: { Body?: string }) => (JSON.parse(m.Body ?? '{}') as { tenant?: string }).tenant;

/** Runs a flood of 200 messages from one tenant, then one from a quiet tenant; returns how many flood messages went first. */
async function floodThenQuiet(fair: boolean): Promise<number> {
  const q = await queue(fair ? 'fair' : 'oldest-first');
  for (let batch = 0; batch < 20; batch += 1)
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q.url,
        Entries: Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: JSON.stringify({ tenant: 'flood' }) })),
      }),
    );
  const order: string[] = [];
  const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    order.push(...event.Records.map((r) => tenantOf({ Body: r.body })!));
    await delay(200);
    return { batchItemFailures: [] };
  };
  const source = new SqsEventSource(sqs, q, [handler, handler, handler, handler], {
    batchSize: 10,
    visibilityTimeoutSeconds: 5,
    fair,
    tenantOf,
  });
  source.start();
  while (order.length < 40) await delay(5);
  await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: JSON.stringify({ tenant: 'quiet' }) }));
  while (!order.includes('quiet')) await delay(5);
  await source.stop();
  return order.indexOf('quiet');
}

// SQS fair queues: "Whenever quiet tenant messages are available, consumer instances receive messages
// from quiet tenants" (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-fair-queues-detailed.html).
describe("the local event source delivers as Lambda's SQS event source on a fair queue", () => {
  it("delivers a quiet tenant's message before the flood's backlog; without fairness, after it", async () => {
    const fair = await floodThenQuiet(true);
    const oldestFirst = await floodThenQuiet(false);
    // Fair: within the batches being received when it arrived. Oldest first: behind the whole backlog.
    expect(fair).toBeLessThan(100);
    expect(oldestFirst).toBeGreaterThanOrEqual(190);
  });

  // Lambda would leave a failed record invisible until its visibility timeout
  // (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html); the service's
  // handler consumes a throttled record instead and sends it back as a message delayed by its backoff.
  it("frees a throttled containment's slot: another account's request runs meanwhile, the throttled one comes back after its backoff", async () => {
    const q = await queue('paced', 30);
    const seen: Array<{ account: string; attempt: number; at: number }> = [];
    const handler = createSqsHandler({
      service: 'iam-lockdown',
      maxReceiveCount: 5,
      scope: parseScope({ onboardedAccounts: 'all', securityAccountId: '999999999999' }),
      logger: new Logger({ logLevel: 'SILENT' }),
      audit: { record: async () => undefined },
      retryLater: new OwnQueue(q.url, sqs),
      random: () => 0,
      useCase: async (message, delivery) => {
        seen.push({ account: message.entity.accountId, attempt: delivery!.attempt, at: performance.now() });
        if (message.entity.accountId === '111111111111' && seen.filter((s) => s.account === '111111111111').length === 1)
          throw new ContainmentError('step "deny": Rate exceeded', { retryable: true, code: 'throttled' });
        return { kind: 'contained', detail: 'ok', steps: [], reapplied: [] };
      },
    });
    const source = new SqsEventSource(sqs, q, [handler], {
      batchSize: 1,
      visibilityTimeoutSeconds: 30,
      fair: true,
      tenantOf: () => undefined,
    });
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: q.url,
        MessageBody: JSON.stringify({ ...dispatchMessage('arn:aws:iam::111111111111:user/a'), requestedAt: new Date().toISOString() }),
      }),
    );
    await delay(50);
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: q.url,
        MessageBody: JSON.stringify({ ...dispatchMessage('arn:aws:iam::222222222222:user/b'), requestedAt: new Date().toISOString() }),
      }),
    );
    source.start();
    while (seen.length < 3) await delay(20);
    await source.stop();

    expect(seen.map((s) => [s.account, s.attempt])).toEqual([
      ['111111111111', 1],
      ['222222222222', 1],
      ['111111111111', 1], // a new message: its receive count starts over
    ]);
    // Back after its 1-second backoff (a request seconds old, no jitter), not after the queue's 30-second visibility timeout.
    const backoff = seen[2]!.at - seen[0]!.at;
    expect(backoff).toBeGreaterThanOrEqual(900);
    expect(backoff).toBeLessThan(5000);
  });

  // The same through the pacer: the flooded account's budget is spent, so its containment stops at its
  // next budgeted call (BudgetSpentError) instead of waiting in the slot, and the quiet account's runs.
  it("frees a paced containment's slot: a quiet account's request runs while the flooded account's budget refills", async () => {
    const q = await queue('budget', 30);
    // The pacer's clock stands still until the quiet account's containment (then a second passes).
    let clock = 0;
    const pacer = new ApiPacer({ maxWaitMs: 100, now: () => clock });
    // The flooded account has spent EC2's mutating bucket of 50: its next token is 200 ms away.
    for (let i = 0; i < 50; i += 1) await pacer.take('111111111111', 'us-east-1', 'EC2', 'CreateTags');
    const seen: Array<{ account: string; outcome: string; at: number }> = [];
    const handler = createSqsHandler({
      service: 'ec2-isolation',
      maxReceiveCount: 5,
      scope: parseScope({ onboardedAccounts: 'all', securityAccountId: '999999999999' }),
      logger: new Logger({ logLevel: 'SILENT' }),
      audit: { record: async () => undefined },
      retryLater: new OwnQueue(q.url, sqs),
      random: () => 0,
      useCase: async (message) => {
        const { accountId, region } = message.entity;
        try {
          await pacer.take(accountId, region, 'EC2', 'CreateTags');
        } catch (error) {
          seen.push({ account: accountId, outcome: 'budget spent', at: performance.now() });
          throw error;
        }
        seen.push({ account: accountId, outcome: 'contained', at: performance.now() });
        clock += 1000;
        return { kind: 'contained', detail: 'ok', steps: [], reapplied: [] };
      },
    });
    const source = new SqsEventSource(sqs, q, [handler], {
      batchSize: 1,
      visibilityTimeoutSeconds: 30,
      fair: true,
      tenantOf: () => undefined,
    });
    const instance = (account: string) => `arn:aws:ec2:us-east-1:${account}:instance/i-0123456789abcdef0`;
    for (const account of ['111111111111', '222222222222']) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: q.url,
          MessageBody: JSON.stringify({ ...dispatchMessage(instance(account)), requestedAt: new Date().toISOString() }),
        }),
      );
      await delay(50);
    }
    source.start();
    while (seen.filter((s) => s.outcome === 'contained').length < 2) await delay(20);
    await source.stop();

    expect(seen.map((s) => [s.account, s.outcome])).toEqual([
      ['111111111111', 'budget spent'],
      ['222222222222', 'contained'],
      ['111111111111', 'contained'],
    ]);
    // The one slot was free for the quiet account at once, not after the flooded account's wait.
    expect(seen[1]!.at - seen[0]!.at).toBeLessThan(1000);
  }, 20_000);
});

describe("the local event source keeps a running batch as Lambda's does", () => {
  // On AWS a message never comes back while its invocation runs: the function's timeout bounds the
  // run, and the queue's visibility timeout is at least six times that timeout ("Configuring a
  // standard queue for use with Lambda", Lambda Developer Guide). Locally nothing bounds a handler
  // on a loaded machine, and the drill's queues use a short visibility timeout so that failures come
  // back quickly: the event source keeps a running batch invisible instead. (Without it, CI on a
  // loaded machine redelivered running containments until they were dead-lettered.)
  it('never redelivers a message while the invocation that holds it runs, however long it takes', async () => {
    const q = await queue('long-run', 1);
    const runs: string[] = [];
    const slow = async (event: SQSEvent): Promise<SQSBatchResponse> => {
      runs.push(...event.Records.map((r) => r.body));
      await delay(3000);
      return { batchItemFailures: [] };
    };
    const source = new SqsEventSource(sqs, q, [slow, slow], { batchSize: 1, visibilityTimeoutSeconds: 1, fair: false });
    source.start();
    await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'slow' }));
    await delay(5000);
    await source.stop();
    expect(runs).toEqual(['slow']);
  }, 20_000);

  it('brings a failed message back after the visibility timeout, as the partial batch response says', async () => {
    const q = await queue('failing', 1);
    const runs: number[] = [];
    const failing = async (event: SQSEvent): Promise<SQSBatchResponse> => {
      runs.push(Date.now());
      return { batchItemFailures: runs.length === 1 ? event.Records.map((r) => ({ itemIdentifier: r.messageId })) : [] };
    };
    const source = new SqsEventSource(sqs, q, [failing], { batchSize: 1, visibilityTimeoutSeconds: 1, fair: false });
    source.start();
    await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'fails once' }));
    await delay(4000);
    await source.stop();
    expect(runs).toHaveLength(2);
    expect(runs[1]! - runs[0]!).toBeGreaterThanOrEqual(900);
  }, 20_000);
});
