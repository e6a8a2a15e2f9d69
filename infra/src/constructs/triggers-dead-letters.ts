import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { LockdownFunction } from './lockdown-function';
import { RULE_NAMES, ruleArn } from './trigger-rules';

export interface TriggersDeadLettersProps {
  /** The triggers' function: its failed invocations come here (its on-failure destination). */
  readonly fn: LockdownFunction;
}

/**
 * Events EventBridge could not deliver, and invocations that failed after Lambda's retries
 * (EventBridge invokes asynchronously: a function error is Lambda's to retry): kept 14 days
 * (`DeadLetters`, added to its scope), under their own key (`DeadLettersKey`: they are findings:
 * who, where, what was seen). Rules are named so that the key policy can name them.
 */
export class TriggersDeadLetters {
  readonly key: kms.Key;
  readonly queue: sqs.Queue;

  constructor(scope: Construct, { fn }: TriggersDeadLettersProps) {
    const stack = Stack.of(scope);
    this.key = new kms.Key(scope, 'DeadLettersKey', {
      enableKeyRotation: true,
      description: 'Encrypts lockdown-triggers-dlq (findings and custom actions lockdown could not handle)',
    });
    // EventBridge encrypts what it dead-letters to a queue under a customer managed key as itself, for the
    // rule (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html: kms:Decrypt and
    // kms:GenerateDataKey, conditioned on aws:SourceArn); Lambda's failure destination writes with the role.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EventBridgeDeadLettersOfLockdownRules',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:SourceArn': Object.values(RULE_NAMES).map(([name, bus]) => ruleArn(stack, name, bus)) } },
      }),
    );
    this.queue = new sqs.Queue(scope, 'DeadLetters', {
      queueName: 'lockdown-triggers-dlq',
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    NagSuppressions.addResourceSuppressions(this.queue, [
      { id: 'AwsSolutions-SQS3', reason: "This is the dead-letter queue of the triggers' rules, watched by its alarm." },
    ]);
    fn.fn.configureAsyncInvoke({
      onFailure: { bind: () => ({ destination: this.queue.queueArn }) },
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    });
    fn.role.addToPolicy(
      new iam.PolicyStatement({ sid: 'FailureDestination', actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
    );
    fn.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'FailureDestinationKey',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [this.key.keyArn],
      }),
    );
  }
}
