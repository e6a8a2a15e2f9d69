import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { OUTCOME_EVENT_BUS } from '@lockdown/contracts';
import { CUSTOM_ACTIONS, CustomAction, TRIGGER_PATTERNS } from '@lockdown/findings';
import { LockdownConfig } from '@lockdown/services';

/** The triggers' rules by construct id: their names, and the bus of those not on the default one. */
export const RULE_NAMES = {
  GuardDutyFindings: ['lockdown-triggers-guardduty'],
  SecurityHubV2Findings: ['lockdown-triggers-security-hub-v2'],
  SecurityHubActions: ['lockdown-triggers-security-hub'],
  OutcomesToFindings: ['lockdown-triggers-outcomes', OUTCOME_EVENT_BUS],
} as const satisfies Record<string, readonly [string, string?]>;

/** A trigger rule's ARN, by its name (the DLQ key's policy names them: the rules' own ARNs would make a cycle). */
export const ruleArn = (stack: Stack, name: string, bus?: string) =>
  `arn:${stack.partition}:events:${stack.region}:${stack.account}:rule/${bus ? `${bus}/` : ''}${name}`;

export interface TriggerRulesProps {
  readonly config: LockdownConfig;
  readonly fn: lambda.IFunction;
  /** Where EventBridge puts the events it could not deliver to the function. */
  readonly deadLetters: sqs.IQueue;
}

/**
 * The triggers' rules (added to their scope under RULE_NAMES' ids): one feed per finding (GuardDuty's
 * native events, unless its findings are read from the new Security Hub; the new Security Hub's OCSF
 * findings), lockdown's Security Hub custom actions, and outcomes back to findings.
 */
export class TriggerRules {
  readonly rules: events.Rule[] = [];

  constructor(scope: Construct, { config, fn, deadLetters }: TriggerRulesProps) {
    const ocsf = config.triggers.securityHubV2;
    const target = new targets.LambdaFunction(fn, { deadLetterQueue: deadLetters, retryAttempts: 4, maxEventAge: Duration.hours(6) });
    const rule = (id: keyof typeof RULE_NAMES, description: string, eventPattern: events.EventPattern, eventBus?: events.IEventBus) =>
      this.rules.push(
        new events.Rule(scope, id, {
          ruleName: RULE_NAMES[id][0],
          description,
          eventPattern,
          targets: [target],
          ...(eventBus ? { eventBus } : {}),
        }),
      );
    if (!ocsf.includes('guardduty'))
      rule(
        'GuardDutyFindings',
        'lockdown: GuardDuty findings (attack sequences included) on resources lockdown can contain',
        TRIGGER_PATTERNS.guardDuty as events.EventPattern,
      );
    if (ocsf.length > 0)
      rule(
        'SecurityHubV2Findings',
        `lockdown: the new Security Hub's OCSF findings of ${ocsf.join(', ')}`,
        TRIGGER_PATTERNS.securityHubV2(ocsf) as events.EventPattern,
      );
    const customActions = (Object.keys(CUSTOM_ACTIONS) as CustomAction[]).filter((action) =>
      action === 'release' ? config.triggers.securityHubRelease : config.triggers.securityHubActions,
    );
    if (customActions.length > 0)
      rule(
        'SecurityHubActions',
        `lockdown: Security Hub custom actions ${customActions.map((action) => `'${CUSTOM_ACTIONS[action].name}'`).join(' and ')}`,
        TRIGGER_PATTERNS.customActions(customActions.map((action) => actionTarget(scope, action))) as events.EventPattern,
      );
    rule(
      'OutcomesToFindings',
      'lockdown: outcomes of requests that came from a finding, written back to it',
      TRIGGER_PATTERNS.outcomes as events.EventPattern,
      events.EventBus.fromEventBusName(scope, 'Outcomes', OUTCOME_EVENT_BUS),
    );
  }
}

/** A Security Hub custom action (`Action-<action>`) and its ARN. */
const actionTarget = (scope: Construct, action: CustomAction) =>
  new securityhub.CfnActionTarget(scope, `Action-${action}`, {
    id: CUSTOM_ACTIONS[action].id,
    name: CUSTOM_ACTIONS[action].name,
    description: CUSTOM_ACTIONS[action].description,
  }).attrActionTargetArn;
