import { Duration } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { auditAlarm } from './audit-alarm';

/**
 * Any delivery SNS gave up on (also one its subscription DLQ could not take) on the request topics:
 * requests are being lost. One alarm per topic (`DeliveryFailedAlarm-<name>`, added to its scope).
 */
export function deliveryFailedAlarms(
  scope: Construct,
  topics: Record<'ingress' | 'release' | 'dispatch', sns.ITopic>,
  auditTopic: sns.ITopic,
) {
  return Object.entries(topics).map(([name, topic]) =>
    auditAlarm(scope, `DeliveryFailedAlarm-${name}`, {
      name: `${name}-delivery-failed`,
      description: `SNS failed to deliver a message of lockdown-${name} (see the subscription dead-letter queues): a request may not have reached ${name === 'ingress' ? 'the intake' : 'its service'}.`,
      metric: topic.metricNumberOfNotificationsFailed({ period: Duration.minutes(1), statistic: 'Sum' }),
      auditTopic,
    }),
  );
}
