import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SERVICES, ServiceName, filterPolicyFor } from '@lockdown/contracts';

export interface ServiceQueues {
  url: string;
  arn: string;
  dlqUrl: string;
  dlqArn: string;
}

export interface MessagingFabric {
  ingressTopicArn: string;
  /** Release is its own authority: its own topic. */
  releaseTopicArn: string;
  dispatchTopicArn: string;
  auditTopicArn: string;
  auditQueueUrl: string;
  queues: Record<ServiceName, ServiceQueues>;
}

export interface FabricOptions {
  sns: SNSClient;
  sqs: SQSClient;
  /** Prefix of every topic and queue name, so several fabrics can share one emulator. */
  prefix: string;
  maxReceiveCount?: number;
  visibilityTimeoutSeconds?: number;
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return Attributes!.QueueArn!;
}

/**
 * Creates, on an SNS/SQS endpoint (fauxqs locally), the same topology as the CDK stacks: the
 * ingress, release, dispatch and audit topics, and per service a queue with a DLQ subscribed to the
 * dispatch topic with the filter policy built from the routing table. The audit topic feeds a
 * queue so tests and the drill can read the emails that would have been sent.
 */
export async function createMessagingFabric(options: FabricOptions): Promise<MessagingFabric> {
  const { sns, sqs, prefix } = options;
  const topic = async (name: string) => (await sns.send(new CreateTopicCommand({ Name: `${prefix}-${name}` }))).TopicArn!;
  const queue = async (name: string, attributes: Record<string, string> = {}) => {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-${name}`, Attributes: attributes }))).QueueUrl!;
    return { url, arn: await queueArn(sqs, url) };
  };

  const [ingressTopicArn, releaseTopicArn, dispatchTopicArn, auditTopicArn] = await Promise.all(
    ['ingress', 'release', 'dispatch', 'audit'].map(topic),
  );
  const audit = await queue('audit-mailbox');
  await sns.send(
    new SubscribeCommand({ TopicArn: auditTopicArn, Protocol: 'sqs', Endpoint: audit.arn, Attributes: { RawMessageDelivery: 'false' } }),
  );

  const entries = await Promise.all(
    SERVICES.map(async (service): Promise<[ServiceName, ServiceQueues]> => {
      const dlq = await queue(`${service}-dlq`);
      const main = await queue(service, {
        VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 30),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: options.maxReceiveCount ?? 5 }),
      });
      await sns.send(
        new SubscribeCommand({
          TopicArn: dispatchTopicArn,
          Protocol: 'sqs',
          Endpoint: main.arn,
          Attributes: { RawMessageDelivery: 'true', FilterPolicy: JSON.stringify(filterPolicyFor(service)) },
        }),
      );
      return [service, { url: main.url, arn: main.arn, dlqUrl: dlq.url, dlqArn: dlq.arn }];
    }),
  );
  return {
    ingressTopicArn: ingressTopicArn!,
    releaseTopicArn: releaseTopicArn!,
    dispatchTopicArn: dispatchTopicArn!,
    auditTopicArn: auditTopicArn!,
    auditQueueUrl: audit.url,
    queues: Object.fromEntries(entries) as Record<ServiceName, ServiceQueues>,
  };
}
