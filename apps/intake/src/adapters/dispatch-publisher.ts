import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DispatchMessage, ENTITY_TYPE_ATTRIBUTE, messageGroupOf } from '@lockdown/contracts';

/** Publishes an accepted request to the dispatch topic; filter policies route it to its service. */
export class DispatchPublisher {
  constructor(
    private readonly topicArn: string,
    private readonly sns: SNSClient = new SNSClient({}),
  ) {}

  async publish(message: DispatchMessage): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Message: JSON.stringify(message),
        // Its account is its tenant: SNS forwards the group to the services' standard queues (fair queues).
        MessageGroupId: messageGroupOf(message),
        MessageAttributes: {
          [ENTITY_TYPE_ATTRIBUTE]: { DataType: 'String', StringValue: message.entity.type },
          action: { DataType: 'String', StringValue: message.action },
        },
      }),
    );
  }
}
