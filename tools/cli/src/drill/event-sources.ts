import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SNSEvent, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { lambdaContext } from '@lockdown/sandbox';

export interface PollerStats {
  batches: number;
  records: number;
  failures: number;
}

type SqsHandler = (event: SQSEvent, context: typeof lambdaContext) => Promise<SQSBatchResponse>;
type SnsHandler = (event: SNSEvent) => Promise<unknown>;

const toSqsRecord = (m: Message, queueArn: string): SQSRecord => ({
  messageId: m.MessageId!,
  receiptHandle: m.ReceiptHandle!,
  body: m.Body ?? '',
  attributes: {
    ApproximateReceiveCount: m.Attributes?.['ApproximateReceiveCount'] ?? '1',
    SentTimestamp: m.Attributes?.['SentTimestamp'] ?? String(Date.now()),
    SenderId: m.Attributes?.['SenderId'] ?? 'local',
    ApproximateFirstReceiveTimestamp: m.Attributes?.['ApproximateFirstReceiveTimestamp'] ?? String(Date.now()),
  },
  messageAttributes: Object.fromEntries(
    Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
      k,
      { stringValue: v.StringValue, dataType: v.DataType ?? 'String', stringListValues: [], binaryListValues: [] },
    ]),
  ),
  md5OfBody: m.MD5OfBody ?? '',
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: 'us-east-1',
});

/**
 * Polls a queue like Lambda's SQS event source: batches, one invocation per batch, partial batch
 * responses (only the reported failures stay on the queue, to come back after the visibility
 * timeout, and to the DLQ after maxReceiveCount).
 */
export class SqsEventSource {
  readonly stats: PollerStats = { batches: 0, records: 0, failures: 0 };
  private running = false;
  private loops: Array<Promise<void>> = [];

  constructor(
    private readonly sqs: SQSClient,
    private readonly queue: { url: string; arn: string },
    private readonly handler: SqsHandler,
    private readonly batchSize: number,
    /** Concurrent batches, like the event source's maximumConcurrency. */
    private readonly concurrency = 1,
    /** The queue's visibility timeout: a batch still being handled is kept invisible (Lambda's function timeout is below it). */
    private readonly visibilitySeconds = 3,
  ) {}

  start(): void {
    this.running = true;
    this.loops = Array.from({ length: this.concurrency }, () => this.run());
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async run(): Promise<void> {
    while (this.running) {
      const { Messages = [] } = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queue.url,
          MaxNumberOfMessages: this.batchSize,
          WaitTimeSeconds: 1,
          AttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      if (Messages.length === 0) continue;
      const event: SQSEvent = { Records: Messages.map((m) => toSqsRecord(m, this.queue.arn)) };
      let failed = new Set(event.Records.map((r) => r.messageId));
      // The stack sets the queue's visibility timeout to six times the function's timeout, so Lambda
      // never sees a message again while an invocation still holds it; the drill's short timeout
      // (quick retries) is extended while the handler runs, to the same effect.
      const heartbeat = setInterval(() => void this.extend(Messages).catch(() => undefined), (this.visibilitySeconds * 1000) / 2);
      try {
        const response = await this.handler(event, lambdaContext);
        failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      } catch {
        // A failed invocation fails the whole batch, as in Lambda.
      } finally {
        clearInterval(heartbeat);
      }
      this.stats.batches += 1;
      this.stats.records += Messages.length;
      this.stats.failures += failed.size;
      const done = Messages.filter((m) => !failed.has(m.MessageId!));
      if (done.length > 0)
        await this.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.queue.url,
            Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
    }
  }

  private async extend(messages: Message[]): Promise<void> {
    await this.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: this.queue.url,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: this.visibilitySeconds })),
      }),
    );
  }
}

/**
 * Invokes an SNS-triggered function for every message on a queue subscribed to the topic (SNS
 * envelope), like Lambda's asynchronous invocation: a thrown error leaves the message to be
 * retried, and the queue's redrive policy plays the on-failure destination.
 */
export function snsInvoker(handler: SnsHandler): SqsHandler {
  return async (event) => {
    const failures: string[] = [];
    for (const record of event.Records) {
      const envelope = JSON.parse(record.body) as Record<string, any>;
      const snsEvent: SNSEvent = {
        Records: [
          {
            EventSource: 'aws:sns',
            EventVersion: '1.0',
            EventSubscriptionArn: `${envelope['TopicArn']}:local`,
            Sns: {
              Type: 'Notification',
              MessageId: envelope['MessageId'],
              TopicArn: envelope['TopicArn'],
              Subject: envelope['Subject'] ?? '',
              Message: envelope['Message'] ?? '',
              Timestamp: envelope['Timestamp'] ?? new Date().toISOString(),
              SignatureVersion: '1',
              Signature: '',
              SigningCertUrl: '',
              UnsubscribeUrl: '',
              MessageAttributes: envelope['MessageAttributes'] ?? {},
            },
          },
        ],
      };
      try {
        await handler(snsEvent);
      } catch {
        failures.push(record.messageId);
      }
    }
    return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}
