import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface ServiceDashboardProps {
  readonly service: string;
  readonly fn: lambda.IFunction;
  readonly queue: sqs.IQueue;
  readonly dlq: sqs.IQueue;
}

/** One dashboard per service: requests, outcomes, duration, queue health, throttles. */
export class ServiceDashboard extends Construct {
  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    const period = Duration.minutes(1);
    const outcome = (name: string) =>
      new cloudwatch.Metric({
        namespace: 'Lockdown',
        metricName: name,
        dimensionsMap: { service: props.service, source: props.service },
        statistic: 'Sum',
        period,
      });
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: `lockdown-${props.service}` });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Requests',
        left: [props.queue.metricNumberOfMessagesReceived({ period }), props.fn.metricInvocations({ period })],
      }),
      new cloudwatch.GraphWidget({
        title: 'Outcomes',
        left: [outcome('Contained'), outcome('Released'), outcome('Failed'), outcome('Containing')],
      }),
      new cloudwatch.GraphWidget({
        title: 'Duration',
        left: [props.fn.metricDuration({ period, statistic: 'p50' }), props.fn.metricDuration({ period, statistic: 'p99' })],
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'DLQ depth',
        left: [props.dlq.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' })],
      }),
      new cloudwatch.GraphWidget({
        title: 'Age of oldest message',
        left: [props.queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' })],
      }),
      new cloudwatch.GraphWidget({
        title: 'Throttles and errors',
        left: [props.fn.metricThrottles({ period }), props.fn.metricErrors({ period })],
      }),
    );
  }
}
