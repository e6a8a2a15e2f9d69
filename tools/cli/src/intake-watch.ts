import { randomUUID } from 'node:crypto';
import { SNSClient, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { AUDIT_MESSAGE_ATTRIBUTES, AUDIT_TOPIC_NAME } from '@lockdown/contracts';

/** The intake's answer to one request, from its audit record: accepted (and dispatched) or refused. */
export interface IntakeDecision {
  requestId: string;
  kind: 'received' | 'rejected';
  detail: string;
  code?: string;
}

/** The CLI's temporary queues start with this (the operator's IAM policy names them by it). */
export const WATCH_QUEUE_PREFIX = 'lockdown-cli-';

/** The audit topic next to an ingress topic: same partition, region and account, fixed name. */
export const auditTopicNextTo = (ingressTopicArn: string) => ingressTopicArn.replace(/:[^:]+$/, `:${AUDIT_TOPIC_NAME}`);

interface Envelope {
  Message?: string;
  MessageAttributes?: Record<string, { Value?: string }>;
}

/** What an audit message says about the intake's decision (undefined for anything else). */
export function decisionOf(envelope: Envelope): IntakeDecision | undefined {
  const attribute = (name: string) => envelope.MessageAttributes?.[name]?.Value;
  const kind = attribute(AUDIT_MESSAGE_ATTRIBUTES.kind);
  const requestId = attribute(AUDIT_MESSAGE_ATTRIBUTES.requestId);
  if ((kind !== 'received' && kind !== 'rejected') || !requestId) return undefined;
  const body = envelope.Message ?? '';
  const detail = body.split('\n', 1)[0]!.replace(/^[A-Z]+: /, '');
  const code = /^Reason code: (.+)$/m.exec(body)?.[1];
  return { requestId, kind, detail, ...(code ? { code } : {}) };
}

/**
 * Watches the intake's decisions while `--wait` follows requests: a temporary queue subscribed to
 * the audit topic with a filter policy on `kind` (received, rejected), so a refusal is known the
 * moment the intake records it, not at the timeout. The queue keeps messages 60 s at most and is
 * deleted (with its subscription) when the wait ends.
 */
export class IntakeWatch {
  private constructor(
    private readonly sns: SNSClient,
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly subscriptionArn: string | undefined,
  ) {}

  /** Opens the watch before anything is published (a decision cannot arrive before the subscription). */
  static async open(sns: SNSClient, sqs: SQSClient, auditTopicArn: string): Promise<IntakeWatch> {
    const QueueName = `${WATCH_QUEUE_PREFIX}${randomUUID()}`;
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName, Attributes: { MessageRetentionPeriod: '60' } }));
    try {
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      const queueArn = Attributes!['QueueArn']!;
      // Only the audit topic may send to it.
      const Policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'sns.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: queueArn,
            Condition: { ArnEquals: { 'aws:SourceArn': auditTopicArn } },
          },
        ],
      });
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy } }));
      const { SubscriptionArn } = await sns.send(
        new SubscribeCommand({
          TopicArn: auditTopicArn,
          Protocol: 'sqs',
          Endpoint: queueArn,
          ReturnSubscriptionArn: true,
          Attributes: { FilterPolicy: JSON.stringify({ [AUDIT_MESSAGE_ATTRIBUTES.kind]: ['received', 'rejected'] }) },
        }),
      );
      return new IntakeWatch(sns, sqs, QueueUrl!, SubscriptionArn);
    } catch (error) {
      await sqs.send(new DeleteQueueCommand({ QueueUrl }));
      throw error;
    }
  }

  /** The decisions that arrived since the last poll. */
  async poll(): Promise<IntakeDecision[]> {
    const { Messages = [] } = await this.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: this.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length > 0)
      await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    return Messages.map((m) => decisionOf(JSON.parse(m.Body ?? '{}') as Envelope)).filter((d) => d !== undefined);
  }

  async close(): Promise<void> {
    if (this.subscriptionArn) await this.sns.send(new UnsubscribeCommand({ SubscriptionArn: this.subscriptionArn }));
    await this.sqs.send(new DeleteQueueCommand({ QueueUrl: this.queueUrl }));
  }
}
