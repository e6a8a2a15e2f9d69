import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { setTimeout as delay } from 'node:timers/promises';
import { fauxqsEndpoint, localMessagingClients } from '@lockdown/sandbox';
import { SqsEventSource } from './event-sources';

const { sqs } = localMessagingClients(fauxqsEndpoint());

async function queue(name: string, visibilityTimeout: number) {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: `${name}-${Date.now()}`, Attributes: { VisibilityTimeout: String(visibilityTimeout) } }),
  );
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!['QueueArn']! };
}

describe("the local SQS event source (Lambda's, on fauxqs)", () => {
  // On AWS a message never comes back while its invocation runs: the function's timeout bounds the
  // run, and the queue's visibility timeout is at least six times that timeout ("Configuring a
  // standard queue for use with Lambda", Lambda Developer Guide). Locally nothing bounds a handler
  // on a loaded machine, and the drill's queues use a 3 s visibility timeout so that failures come
  // back quickly: the event source keeps a running batch invisible instead. (Without it, CI on a
  // loaded machine redelivered running containments until they were dead-lettered.)
  it('never redelivers a message while the invocation that holds it runs, however long it takes', async () => {
    const q = await queue('long-run', 1);
    const runs: string[] = [];
    const source = new SqsEventSource(
      sqs,
      q,
      async (event) => {
        runs.push(...event.Records.map((r) => r.body));
        await delay(3000);
        return { batchItemFailures: [] };
      },
      1,
      2,
    );
    source.start();
    await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'slow' }));
    await delay(5000);
    await source.stop();
    expect(runs).toEqual(['slow']);
  }, 20_000);

  it('brings a failed message back after the visibility timeout, as the partial batch response says', async () => {
    const q = await queue('failing', 1);
    const runs: number[] = [];
    const source = new SqsEventSource(
      sqs,
      q,
      async (event) => {
        runs.push(Date.now());
        return { batchItemFailures: runs.length === 1 ? event.Records.map((r) => ({ itemIdentifier: r.messageId })) : [] };
      },
      1,
    );
    source.start();
    await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'fails once' }));
    await delay(4000);
    await source.stop();
    expect(runs).toHaveLength(2);
    expect(runs[1]! - runs[0]!).toBeGreaterThanOrEqual(900);
  }, 20_000);
});
