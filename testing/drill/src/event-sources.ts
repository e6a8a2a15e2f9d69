import { setTimeout as delay } from 'node:timers/promises';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SNSEvent, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { lambdaContext } from '@lockdown/sandbox';
import { nextBatch } from './fair-delivery';

export interface PollerStats {
  batches: number;
  records: number;
  failures: number;
  /** Records delivered again (SQS's ApproximateReceiveCount above 1): after a failure, or a visibility timeout that ran out. */
  redelivered: number;
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

export interface EventSourceOptions {
  batchSize: number;
  /** The queue's visibility timeout: what a record gets when an invocation receives it. */
  visibilityTimeoutSeconds: number;
  /** Deliver as an SQS fair queue (groups with fewer messages in flight first), or oldest first. */
  fair: boolean;
  /** A message's tenant, its MessageGroupId (a message without one is a tenant of its own). */
  tenantOf?: (message: Message) => string | undefined;
}

/** SQS's longest visibility timeout: what the local event source holds the messages it has not handed out yet for. */
const HOLD_SECONDS = 43_200;
/** Recent processing time, as fair queues weigh it. */
const PROCESSING_WINDOW_MS = 60_000;

interface Held {
  message: Message;
  tenant: string;
}

/**
 * Polls a queue like Lambda's SQS event source: batches, one invocation per batch, each concurrent
 * invocation with its own handler (a Lambda container runs one invocation at a time), partial batch
 * responses (only the reported failures stay on the queue, to come back after the visibility
 * timeout, or sooner if the function changed it, and to the DLQ after maxReceiveCount). The messages
 * fauxqs has are held here and handed out in the order SQS fair queues document (`nextBatch`);
 * fauxqs keeps a standard queue's MessageGroupId only on FIFO queues, so the tenant is read by `tenantOf`.
 */
export class SqsEventSource {
  readonly stats: PollerStats = { batches: 0, records: 0, failures: 0, redelivered: 0 };
  private running = false;
  private loops: Array<Promise<void>> = [];
  private held: Held[] = [];
  /** In flight: handed to an invocation and not deleted, until SQS delivers it again or its visibility ends. */
  private readonly inFlight = new Map<string, { tenant: string; until: number }>();
  private processing: Array<{ at: number; tenant: string; ms: number }> = [];
  private readonly waiting = new Set<() => void>();

  constructor(
    private readonly sqs: SQSClient,
    private readonly queue: { url: string; arn: string },
    /** One handler per concurrent invocation (the event source's maximumConcurrency). */
    private readonly handlers: SqsHandler[],
    private readonly options: EventSourceOptions,
  ) {}

  start(): void {
    this.running = true;
    this.loops = [this.fetch(), ...this.handlers.map((handler) => this.invoke(handler))];
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await Promise.all(this.loops);
  }

  /**
   * Keeps a running batch invisible however long it runs, renewing the visibility timeout at a third
   * of it: on AWS the function's timeout bounds a run and the visibility timeout is at least six times
   * that, so a message never comes back while its invocation runs; locally nothing bounds a handler
   * on a loaded machine (CI redelivered running containments until they were dead-lettered).
   */
  private holdInvisible(messages: Message[]): { release(): Promise<void> } {
    const seconds = this.options.visibilityTimeoutSeconds;
    let renewal: Promise<unknown> = Promise.resolve();
    const timer = setInterval(
      () =>
        (renewal = this.sqs
          .send(
            new ChangeMessageVisibilityBatchCommand({
              QueueUrl: this.queue.url,
              Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: seconds })),
            }),
          )
          // A renewal that fails lets the batch come back early: a redelivery, which every service is built for.
          .catch(() => undefined)),
      (seconds * 1000) / 3,
    );
    return {
      release: async () => {
        clearInterval(timer);
        await renewal;
      },
    };
  }

  /** What SQS has available comes here, held invisible until an invocation receives it. */
  private async fetch(): Promise<void> {
    while (this.running) {
      const { Messages = [] } = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queue.url,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: this.held.length > 0 ? 0 : 1,
          VisibilityTimeout: HOLD_SECONDS,
          AttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      for (const message of Messages) {
        this.inFlight.delete(message.MessageId!);
        this.held.push({ message, tenant: this.options.tenantOf?.(message) ?? message.MessageId! });
      }
      if (Messages.length > 0) this.wake();
      else if (this.held.length > 0) await delay(20);
    }
  }

  private wake(): void {
    for (const resolve of this.waiting) resolve();
    this.waiting.clear();
  }

  private tenancy() {
    const now = performance.now();
    const inFlight = new Map<string, number>();
    for (const [id, f] of this.inFlight)
      if (f.until < now) this.inFlight.delete(id);
      else inFlight.set(f.tenant, (inFlight.get(f.tenant) ?? 0) + 1);
    this.processing = this.processing.filter((p) => now - p.at < PROCESSING_WINDOW_MS);
    const processing = new Map<string, number>();
    for (const p of this.processing) processing.set(p.tenant, (processing.get(p.tenant) ?? 0) + p.ms);
    return { inFlight, processing };
  }

  private async invoke(handler: SqsHandler): Promise<void> {
    while (this.running) {
      if (this.held.length === 0) {
        await new Promise<void>((resolve) => {
          this.waiting.add(resolve);
          setTimeout(resolve, 100);
        });
        continue;
      }
      // Oldest first needs no tenancy (its bookkeeping grows with the records of the last minute: thousands in a flood).
      const tenancy = this.options.fair ? this.tenancy() : { inFlight: new Map(), processing: new Map() };
      const batch = nextBatch(this.held, this.options.batchSize, tenancy, this.options.fair);
      const taken = new Set(batch);
      this.held = this.held.filter((h) => !taken.has(h));
      const started = performance.now();
      // In flight per tenant: what a fair queue weighs (oldest first keeps no such count).
      if (this.options.fair)
        for (const { message, tenant } of batch) this.inFlight.set(message.MessageId!, { tenant, until: Number.POSITIVE_INFINITY });
      // Received now: the queue's visibility timeout starts, as for a record Lambda receives.
      await this.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.queue.url,
          Entries: batch.map(({ message }, i) => ({
            Id: String(i),
            ReceiptHandle: message.ReceiptHandle!,
            VisibilityTimeout: this.options.visibilityTimeoutSeconds,
          })),
        }),
      );
      const event: SQSEvent = { Records: batch.map(({ message }) => toSqsRecord(message, this.queue.arn)) };
      let failed = new Set(event.Records.map((r) => r.messageId));
      const running = this.holdInvisible(batch.map((h) => h.message));
      try {
        const response = await handler(event, lambdaContext);
        failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      } catch {
        // A failed invocation fails the whole batch, as in Lambda.
      } finally {
        await running.release();
      }
      const ms = performance.now() - started;
      if (this.options.fair) for (const { tenant } of batch) this.processing.push({ at: performance.now(), tenant, ms: ms / batch.length });
      this.stats.batches += 1;
      this.stats.records += batch.length;
      this.stats.failures += failed.size;
      this.stats.redelivered += event.Records.filter((r) => Number(r.attributes.ApproximateReceiveCount) > 1).length;
      const done = batch.filter(({ message }) => !failed.has(message.MessageId!));
      for (const { message } of done) this.inFlight.delete(message.MessageId!);
      if (this.options.fair)
        for (const { message, tenant } of batch.filter((h) => failed.has(h.message.MessageId!)))
          this.inFlight.set(message.MessageId!, { tenant, until: performance.now() + this.options.visibilityTimeoutSeconds * 1000 });
      if (done.length > 0)
        await this.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.queue.url,
            Entries: done.map(({ message }, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle! })),
          }),
        );
    }
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
