import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { ServiceName, entityTypesOf } from '@lockdown/contracts';
import { serviceRoleName } from '../names';
import { FUNCTION_TIMEOUT, MAX_RECEIVE_COUNT } from '../service-limits';
import { SubscriptionDeadLetters } from './subscription-dead-letters';

/** The SNS filter policy of a service's subscription, built from the routing table. */
export const filterPolicyOf = (service: ServiceName) => ({
  entityType: sns.SubscriptionFilter.stringFilter({ allowlist: entityTypesOf(service) }),
});

export interface ServiceQueueProps {
  /** The service whose requests the queue holds (names the queues). */
  readonly service: ServiceName;
  /** The dispatch topic the queue subscribes to, filtered by the routing table. */
  readonly dispatchTopic: sns.ITopic;
  /** The audit topic the subscription dead letters' alarm notifies. */
  readonly auditTopic: sns.ITopic;
}

/**
 * A service's requests: its queue (subscribed to the dispatch topic, writable only from it and by
 * the service itself), its DLQ, the subscription's dead letters, and their key. Added to its scope
 * under the ids the service stack always gave them: a changed logical id would replace the queues.
 */
export class ServiceQueue {
  readonly key: kms.Key;
  readonly queue: sqs.Queue;
  readonly dlq: sqs.Queue;

  constructor(scope: Construct, props: ServiceQueueProps) {
    const { service, dispatchTopic } = props;
    this.key = new kms.Key(scope, 'QueueKey', { enableKeyRotation: true, description: `Encrypts the ${service} queues` });
    // SNS must be able to encrypt what it delivers from the dispatch topic.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:SourceArn': dispatchTopic.topicArn } },
      }),
    );
    this.dlq = new sqs.Queue(scope, 'DeadLetters', {
      queueName: `lockdown-${service}-dlq`,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    NagSuppressions.addResourceSuppressions(this.dlq, [
      { id: 'AwsSolutions-SQS3', reason: 'This is the dead-letter queue of the service queue, watched by its alarm.' },
    ]);
    this.queue = new sqs.Queue(scope, 'Queue', {
      queueName: `lockdown-${service}`,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      visibilityTimeout: Duration.seconds(FUNCTION_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.dlq, maxReceiveCount: MAX_RECEIVE_COUNT },
      enforceSSL: true,
    });
    this.subscribe(scope, props);
  }

  /** Subscribes the queue, with its own dead letters, and takes requests only from the dispatch topic and the service. */
  private subscribe(scope: Construct, { service, dispatchTopic, auditTopic }: ServiceQueueProps) {
    const undelivered = new SubscriptionDeadLetters(scope, 'SubscriptionDeadLetters', {
      topic: dispatchTopic,
      subscriber: service,
      key: this.key,
      alarmTopic: auditTopic,
    });
    dispatchTopic.addSubscription(
      new subscriptions.SqsSubscription(this.queue, {
        rawMessageDelivery: true,
        filterPolicy: filterPolicyOf(service),
        deadLetterQueue: undelivered.queue,
      }),
    );
    // Requests arrive only from the dispatch topic (so through the intake's checks); the service also
    // sends its own (tamper-watch ticks, EC2's phase 2).
    const stack = Stack.of(scope);
    const notFrom: Record<string, string> = {
      'aws:SourceArn': dispatchTopic.topicArn,
      'aws:PrincipalArn': `arn:${stack.partition}:iam::${stack.account}:role/${serviceRoleName(service)}`,
    };
    this.queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyFromTheDispatchTopic',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
        conditions: { ArnNotEquals: notFrom },
      }),
    );
  }
}
