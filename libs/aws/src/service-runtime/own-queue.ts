import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { type DispatchMessage, messageGroupOf } from '@lockdown/contracts';

/** SQS's longest delivery delay. */
export const MAX_DELAY_SECONDS = 900;

/**
 * A service's own queue, for the messages it sends itself later (EC2's phase 2, the tamper
 * watch's ticks): a delayed SQS message, so no Lambda ever waits.
 */
export class OwnQueue {
  constructor(
    private readonly queueUrl: string,
    private readonly sqs: SQSClient = new SQSClient({}),
  ) {}

  async send(message: DispatchMessage, delaySeconds: number): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        DelaySeconds: Math.min(Math.max(0, Math.ceil(delaySeconds)), MAX_DELAY_SECONDS),
        MessageBody: JSON.stringify(message),
        // Its account's group of the fair queue, like the requests the dispatch topic delivers.
        MessageGroupId: messageGroupOf(message),
        MessageAttributes: { entityType: { DataType: 'String', StringValue: message.entity.type } },
      }),
    );
  }
}
