import { Stack, StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { LockdownConfig } from '@lockdown/services';
import { LockdownFunction } from '../constructs/lockdown-function';
import { TriggerRules } from '../constructs/trigger-rules';
import { triggersAlarms } from '../constructs/triggers-alarms';
import { TriggersDeadLetters } from '../constructs/triggers-dead-letters';
import { TriggersFunction } from '../constructs/triggers-function';
import { PARAMETERS } from '../names';

export interface TriggersStackProps extends StackProps {
  readonly config: LockdownConfig;
}

/**
 * Where responders already work: GuardDuty findings (the policy decides) and lockdown's Security
 * Hub custom actions become lockdown requests on the ingress topic (a release, when the release
 * action is on, on the release topic), like any publisher's; the
 * outcomes of those requests are written back to their findings. Deploy it in the account that
 * aggregates findings (GuardDuty's and Security Hub's delegated administrator), with the core stack.
 */
export class TriggersStack extends Stack {
  readonly fn: LockdownFunction;
  readonly deadLetters: sqs.Queue;
  readonly rules: events.Rule[];

  constructor(scope: Construct, id: string, props: TriggersStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.fn = new TriggersFunction(this, { config }).fn;
    this.deadLetters = new TriggersDeadLetters(this, { fn: this.fn }).queue;
    this.rules = new TriggerRules(this, { config, fn: this.fn.fn, deadLetters: this.deadLetters }).rules;
    const audit = sns.Topic.fromTopicArn(this, 'Audit', ssm.StringParameter.valueForStringParameter(this, PARAMETERS.auditTopicArn));
    triggersAlarms(this, this.fn.fn, this.deadLetters, audit);
  }
}
