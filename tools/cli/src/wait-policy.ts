import { AUDIT_TOPIC_NAME, PolicyDocument, ledgerTableName } from '@lockdown/contracts';
import { WATCH_QUEUE_PREFIX } from './intake-watch';

/**
 * What a responder's principal needs for `--wait`, besides sns:Publish on the ingress topic: read
 * the ledgers, and watch the intake's decisions through a temporary queue of its own subscribed to
 * the audit topic. The conditions (AWS-enforced) allow no subscription but such a queue in the
 * security account: no email, no HTTPS endpoint, no queue elsewhere.
 */
export function waitPolicy(where: { partition: string; region: string; account: string }): PolicyDocument {
  const arn = (service: string, resource: string) => `arn:${where.partition}:${service}:${where.region}:${where.account}:${resource}`;
  const queues = arn('sqs', `${WATCH_QUEUE_PREFIX}*`);
  const auditTopic = arn('sns', AUDIT_TOPIC_NAME);
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ReadLedgers', Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: [arn('dynamodb', `table/${ledgerTableName('*')}`)] },
      {
        Sid: 'WatchQueue',
        Effect: 'Allow',
        Action: [
          'sqs:CreateQueue',
          'sqs:GetQueueAttributes',
          'sqs:SetQueueAttributes',
          'sqs:ReceiveMessage',
          'sqs:DeleteMessage',
          'sqs:DeleteQueue',
        ],
        Resource: [queues],
      },
      {
        Sid: 'SubscribeWatchQueue',
        Effect: 'Allow',
        Action: ['sns:Subscribe'],
        Resource: [auditTopic],
        Condition: { StringEquals: { 'sns:Protocol': 'sqs' }, StringLike: { 'sns:Endpoint': queues } },
      },
      { Sid: 'UnsubscribeWatchQueue', Effect: 'Allow', Action: ['sns:Unsubscribe'], Resource: [auditTopic] },
    ],
  };
}
