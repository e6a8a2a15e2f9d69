import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { auditAlarm } from './audit-alarm';

export interface SubscriptionDeadLettersProps {
  /** The subscription's topic: the only source SNS may write for. */
  readonly topic: sns.ITopic;
  /** What the subscription delivers to, e.g. `intake` or `iam-lockdown` (names the queue and its alarm). */
  readonly subscriber: string;
  /** The key of what the messages are about (SNS must be allowed to use it for this topic). */
  readonly key: kms.IKey;
  /** The audit topic the alarm notifies. */
  readonly alarmTopic: sns.ITopic;
}

/**
 * The dead-letter queue of one SNS subscription (its RedrivePolicy): what SNS could not deliver, e.g.
 * after a queue policy or key policy was broken, which SNS would otherwise drop. Encrypted with the
 * subscriber's key, writable only by SNS for that topic, kept 14 days, and alarmed on one message.
 */
export class SubscriptionDeadLetters extends Construct {
  readonly queue: sqs.Queue;
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: SubscriptionDeadLettersProps) {
    super(scope, id);
    const queueName = `lockdown-${props.subscriber}-subscription-dlq`;
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    // The subscription adds SNS's Allow (for this topic); nobody else may write here, however broad their IAM policy.
    this.queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlySnsForTheTopic',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
        conditions: { ArnNotEquals: { 'aws:SourceArn': props.topic.topicArn } },
      }),
    );
    NagSuppressions.addResourceSuppressions(this.queue, [
      {
        id: 'AwsSolutions-SQS3',
        reason: `This is the dead-letter queue of an SNS subscription (${props.subscriber}), watched by its alarm.`,
      },
    ]);
    this.alarm = auditAlarm(this, 'Alarm', {
      name: `${props.subscriber}-subscription-dlq`,
      description: `SNS could not deliver a message to ${props.subscriber} (a broken queue, function or key policy?): it is in ${queueName}. Fix the cause, then send the request again.`,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      auditTopic: props.alarmTopic,
    });
  }
}
