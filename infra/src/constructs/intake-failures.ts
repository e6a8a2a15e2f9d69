import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { auditAlarm } from './audit-alarm';

export interface IntakeFailuresProps {
  /** The topics the intake takes requests from: SNS keeps what it cannot deliver from them under this key. */
  readonly requestTopics: sns.ITopic[];
  /** The audit topic the alarm notifies. */
  readonly auditTopic: sns.ITopic;
}

/**
 * Where a request the intake could not handle is kept (its on-failure destination, `IntakeFailures`)
 * and its key (`IntakeFailuresKey`), alarmed on one message. Lambda delivers failed events here with
 * the intake's role. They are whole SNS events, so they carry the request's ExternalId attribute:
 * their own key, used to write by the intake (and SNS, for undelivered requests) only, readable by
 * whoever the account's IAM lets decrypt with it (the responders who replay them).
 */
export class IntakeFailures {
  readonly key: kms.Key;
  readonly queue: sqs.Queue;

  constructor(scope: Construct, props: IntakeFailuresProps) {
    this.key = new kms.Key(scope, 'IntakeFailuresKey', {
      enableKeyRotation: true,
      description: 'Encrypts lockdown-intake-failures (events carry the ExternalId)',
    });
    this.queue = new sqs.Queue(scope, 'IntakeFailures', {
      queueName: 'lockdown-intake-failures',
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    NagSuppressions.addResourceSuppressions(this.queue, [
      {
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is itself the dead end of the intake (its on-failure destination), watched by an alarm.',
      },
    ]);
    auditAlarm(scope, 'IntakeFailuresAlarm', {
      name: 'intake-failures',
      description: 'A lockdown request failed in the intake after its retries: see the lockdown-intake-failures queue.',
      metric: this.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      auditTopic: props.auditTopic,
    });
    // What SNS cannot hand to the intake (its invoke permission or the function broken) is kept, like
    // the intake's failures, under this key: the messages carry the ExternalId.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'SnsKeepsUndeliveredRequests',
        principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:SourceArn': props.requestTopics.map((t) => t.topicArn) } },
      }),
    );
  }
}
