import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { DispatchMessage } from '@lockdown/contracts';

/** SQS's longest delivery delay. */
export const MAX_DELAY_SECONDS = 900;

/** Schedules phase 2 as a delayed message on this service's own queue: no Lambda waits. */
export class FollowUpQueue {
  constructor(
    private readonly queueUrl: string,
    private readonly sqs: SQSClient = new SQSClient({}),
  ) {}

  async schedule(message: DispatchMessage, delaySeconds: number): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        DelaySeconds: Math.min(Math.max(0, Math.round(delaySeconds)), MAX_DELAY_SECONDS),
        MessageBody: JSON.stringify({ ...message, phase: 2 }),
        MessageAttributes: { entityType: { DataType: 'String', StringValue: message.entity.type } },
      }),
    );
  }
}
