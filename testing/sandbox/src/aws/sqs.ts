import { awsError } from './errors';
import { CallContext, ServiceHandlers } from './context';

/** The member account's SQS queues: enough for an event source mapping to have a real source. */
export const sqsHandlers: ServiceHandlers = {
  CreateQueue: ({ QueueName }, { account, region }: CallContext) => {
    const arn = `arn:${account.partition}:sqs:${region}:${account.id}:${QueueName}`;
    const url = `https://sqs.${region}.amazonaws.com/${account.id}/${QueueName}`;
    account.queues.set(arn, { name: QueueName, arn, url });
    return { QueueUrl: url };
  },
  GetQueueAttributes: ({ QueueUrl }, { account }: CallContext) => {
    const queue = [...account.queues.values()].find((q) => q.url === QueueUrl);
    if (!queue) throw awsError('AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.', 400);
    return { Attributes: { QueueArn: queue.arn } };
  },
};
