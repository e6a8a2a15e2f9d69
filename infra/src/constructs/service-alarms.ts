import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ServiceName, auditMetricName } from '@lockdown/contracts';
import { MAX_RECEIVE_COUNT, OLDEST_MESSAGE_ALARM_SECONDS } from '../service-limits';
import { auditAlarm } from './audit-alarm';

export interface ServiceAlarmsProps {
  readonly service: ServiceName;
  readonly fn: lambda.IFunction;
  readonly queue: sqs.IQueue;
  readonly dlq: sqs.IQueue;
  /** The audit topic every alarm notifies. */
  readonly auditTopic: sns.ITopic;
}

/**
 * A service's alarms (`Alarm-<name>`, added to its scope), each notifying the audit topic: a message in
 * the DLQ, a FAILED outcome (the audit trail's metric, before any DLQ), a TAMPERED one, handler
 * errors, throttles, and a queue that stops draining.
 */
export class ServiceAlarms {
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, { service, fn, queue, dlq, auditTopic }: ServiceAlarmsProps) {
    const period = Duration.minutes(1);
    const outcome = (outcome: 'failed' | 'tampered') =>
      new cloudwatch.Metric({
        namespace: 'Lockdown',
        metricName: auditMetricName(outcome),
        dimensionsMap: { service, source: service },
        statistic: 'Sum',
        period,
      });
    const alarms: Array<[string, string, cloudwatch.IMetric, number]> = [
      [
        'dlq',
        `A ${service} request failed after ${MAX_RECEIVE_COUNT} attempts and is in lockdown-${service}-dlq: the entity may not be contained.`,
        dlq.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        0,
      ],
      ['failed', `${service} reported a FAILED outcome (see the audit email): the entity may not be contained.`, outcome('failed'), 0],
      [
        'tampered',
        `The ${service} tamper watch found a containment step undone after containment and re-applied it (see the TAMPERED audit email): someone with access to the account is fighting back.`,
        outcome('tampered'),
        0,
      ],
      [
        'errors',
        `The ${service} function failed an invocation (not a record): see its logs.`,
        fn.metricErrors({ period, statistic: 'Sum' }),
        0,
      ],
      [
        'throttles',
        `The ${service} function was throttled: requests wait in its queue.`,
        fn.metricThrottles({ period, statistic: 'Sum' }),
        0,
      ],
      [
        'oldest-message',
        `A ${service} request has waited more than ${OLDEST_MESSAGE_ALARM_SECONDS} s in its queue: containment is late.`,
        queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' }),
        OLDEST_MESSAGE_ALARM_SECONDS,
      ],
    ];
    this.alarms = alarms.map(([name, description, metric, threshold]) =>
      auditAlarm(scope, `Alarm-${name}`, { name: `${service}-${name}`, description, metric, threshold, auditTopic }),
    );
  }
}
