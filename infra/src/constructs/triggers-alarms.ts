import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { auditAlarm } from './audit-alarm';

/** The triggers' alarms (`Alarm-dlq`, `Alarm-errors`, added to their scope), notifying the audit topic. */
export function triggersAlarms(scope: Construct, fn: lambda.IFunction, deadLetters: sqs.IQueue, auditTopic: sns.ITopic) {
  const period = Duration.minutes(1);
  return [
    auditAlarm(scope, 'Alarm-dlq', {
      name: 'triggers-dlq',
      description: 'A finding or custom action could not be turned into a lockdown request after retries: see lockdown-triggers-dlq.',
      metric: deadLetters.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
      auditTopic,
    }),
    auditAlarm(scope, 'Alarm-errors', {
      name: 'triggers-errors',
      description: 'The triggers function failed (Lambda retries it, then lockdown-triggers-dlq).',
      metric: fn.metricErrors({ period, statistic: 'Sum' }),
      auditTopic,
    }),
  ];
}
