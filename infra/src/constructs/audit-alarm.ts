import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ALARM_PREFIX } from '../names';

export interface AuditAlarmProps {
  /** The alarm's name after lockdown's prefix (the audit topic lets CloudWatch publish for those only). */
  readonly name: string;
  readonly description: string;
  readonly metric: cloudwatch.IMetric;
  /**
   * The alarm fires when one period's value is above it.
   * @default 0
   */
  readonly threshold?: number;
  /** The audit topic it notifies. */
  readonly auditTopic: sns.ITopic;
}

/** A lockdown alarm: one period above the threshold (missing data is not breaching) notifies the audit topic. */
export function auditAlarm(scope: Construct, id: string, props: AuditAlarmProps): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmName: `${ALARM_PREFIX}${props.name}`,
    alarmDescription: props.description,
    metric: props.metric,
    threshold: props.threshold ?? 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new actions.SnsAction(props.auditTopic));
  return alarm;
}
