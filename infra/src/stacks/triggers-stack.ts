import { Aws, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { OUTCOME_EVENT_BUS } from '@lockdown/contracts';
import { CUSTOM_ACTIONS, CustomAction, TRIGGER_PATTERNS } from '@lockdown/findings';
import { LockdownConfig, reservedConcurrencyOf } from '@lockdown/services';
import { LockdownFunction } from '../constructs/lockdown-function';
import { putOutcomeEvents } from '../constructs/outcome-events';
import { ALARM_PREFIX, PARAMETERS, bundlePath, functionName, serviceRoleName } from '../names';

/** The triggers' rules by construct id: their names, and the bus of those not on the default one. */
const RULE_NAMES = {
  GuardDutyFindings: ['lockdown-triggers-guardduty'],
  SecurityHubV2Findings: ['lockdown-triggers-security-hub-v2'],
  SecurityHubActions: ['lockdown-triggers-security-hub'],
  OutcomesToFindings: ['lockdown-triggers-outcomes', OUTCOME_EVENT_BUS],
} as const satisfies Record<string, readonly [string, string?]>;

export interface TriggersStackProps extends StackProps {
  config: LockdownConfig;
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
  readonly rules: events.Rule[] = [];

  constructor(scope: Construct, id: string, props: TriggersStackProps) {
    super(scope, id, props);
    const { config } = props;
    const param = (name: string) => ssm.StringParameter.valueForStringParameter(this, name);
    const ingressTopicArn = param(PARAMETERS.ingressTopicArn);
    // The Security Hub release action makes the triggers a releaser: only when it is configured.
    const releases = config.triggers.securityHubRelease;
    const releaseTopicArn = releases ? param(PARAMETERS.releaseTopicArn) : undefined;
    // The products whose OCSF findings are read from the new Security Hub; GuardDuty's there replace its native events.
    const ocsf = config.triggers.securityHubV2;

    this.fn = new LockdownFunction(this, 'Triggers', {
      functionName: functionName('triggers'),
      roleName: serviceRoleName('triggers'),
      bundle: bundlePath('triggers'),
      timeout: Duration.seconds(30),
      reservedConcurrency: reservedConcurrencyOf(config, 'triggers'),
      description: 'lockdown triggers: GuardDuty and Security Hub findings and custom actions to requests, outcomes back to findings',
      environment: {
        POWERTOOLS_SERVICE_NAME: 'triggers',
        INGRESS_TOPIC_ARN: ingressTopicArn,
        ...(releaseTopicArn ? { RELEASE_TOPIC_ARN: releaseTopicArn } : {}),
        EXTERNAL_ID_SECRET_ARN: param(PARAMETERS.externalIdSecretArn),
        AUDIT_TOPIC_ARN: param(PARAMETERS.auditTopicArn),
        EVENT_BUS_NAME: OUTCOME_EVENT_BUS,
        GUARDDUTY_POLICY: JSON.stringify(config.triggers.guardDuty),
        ...(ocsf.length > 0 ? { OCSF_PRODUCTS: ocsf.join(',') } : {}),
      },
    });
    const role = this.fn.role;
    // Exactly the calls the triggers make: publish a request (as any publisher: topic and, through SNS, its key),
    // read the ExternalId, audit (topic, key, outcome events), and note findings in this account's hubs.
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PublishRequestsAndAudit',
        actions: ['sns:Publish'],
        resources: [ingressTopicArn, ...(releaseTopicArn ? [releaseTopicArn] : []), param(PARAMETERS.auditTopicArn)],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'TopicKeys',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [param(PARAMETERS.ingressKeyArn), ...(releases ? [param(PARAMETERS.releaseKeyArn)] : []), param(PARAMETERS.auditKeyArn)],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadExternalId',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [param(PARAMETERS.externalIdSecretArn)],
      }),
    );
    role.addToPolicy(putOutcomeEvents(this));
    // BatchUpdateFindings acts on the hub (AWS's Service Authorization Reference: resource type hub,
    // arn:...:securityhub:<region>:<account>:hub/default), in whichever region a finding lives. The
    // new Security Hub's BatchUpdateFindingsV2 is authorized as the same action, on the hubv2 resource
    // (arn:...:hubv2/<id>, whose id is the hub's own): only with OCSF findings read.
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'NoteFindings',
        actions: ['securityhub:BatchUpdateFindings'],
        resources: [
          `arn:${Aws.PARTITION}:securityhub:*:${Aws.ACCOUNT_ID}:hub/default`,
          ...(ocsf.length > 0 ? [`arn:${Aws.PARTITION}:securityhub:*:${Aws.ACCOUNT_ID}:hubv2/*`] : []),
        ],
      }),
    );
    NagSuppressions.addResourceSuppressions(
      role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason: "BatchUpdateFindings on this account's Security Hub hub in every region: findings are noted in their own region.",
          appliesTo: [`Resource::arn:<AWS::Partition>:securityhub:*:<AWS::AccountId>:hub/default`],
        },
        ...(ocsf.length > 0
          ? [
              {
                id: 'AwsSolutions-IAM5',
                reason:
                  "BatchUpdateFindings(V2) on this account's new Security Hub (hubv2) in every region: its id is the hub's own, and OCSF findings are noted in their own region.",
                appliesTo: [`Resource::arn:<AWS::Partition>:securityhub:*:<AWS::AccountId>:hubv2/*`],
              },
            ]
          : []),
      ],
      true,
    );

    // Events EventBridge could not deliver, and invocations that failed after Lambda's retries
    // (EventBridge invokes asynchronously: a function error is Lambda's to retry): kept 14 days, alarmed,
    // under their own key (they are findings: who, where, what was seen). Rules are named so that the
    // key policy can name them (their ARNs from the rule resources would make a cycle: rule, queue, key).
    const ruleArn = (name: string, bus?: string) =>
      `arn:${this.partition}:events:${this.region}:${this.account}:rule/${bus ? `${bus}/` : ''}${name}`;
    const deadLettersKey = new kms.Key(this, 'DeadLettersKey', {
      enableKeyRotation: true,
      description: 'Encrypts lockdown-triggers-dlq (findings and custom actions lockdown could not handle)',
    });
    // EventBridge encrypts what it dead-letters to a queue under a customer managed key as itself, for the
    // rule (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html: kms:Decrypt and
    // kms:GenerateDataKey, conditioned on aws:SourceArn); Lambda's failure destination writes with the role.
    deadLettersKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EventBridgeDeadLettersOfLockdownRules',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          ArnEquals: {
            'aws:SourceArn': Object.values(RULE_NAMES).map(([name, bus]) => ruleArn(name, bus)),
          },
        },
      }),
    );
    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      queueName: 'lockdown-triggers-dlq',
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: deadLettersKey,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    NagSuppressions.addResourceSuppressions(this.deadLetters, [
      { id: 'AwsSolutions-SQS3', reason: "This is the dead-letter queue of the triggers' rules, watched by its alarm." },
    ]);
    this.fn.fn.configureAsyncInvoke({
      onFailure: { bind: () => ({ destination: this.deadLetters.queueArn }) },
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    });
    role.addToPolicy(
      new iam.PolicyStatement({ sid: 'FailureDestination', actions: ['sqs:SendMessage'], resources: [this.deadLetters.queueArn] }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'FailureDestinationKey',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [deadLettersKey.keyArn],
      }),
    );
    const target = new targets.LambdaFunction(this.fn.fn, {
      deadLetterQueue: this.deadLetters,
      retryAttempts: 4,
      maxEventAge: Duration.hours(6),
    });
    const rule = (id: keyof typeof RULE_NAMES, description: string, eventPattern: events.EventPattern, eventBus?: events.IEventBus) =>
      this.rules.push(
        new events.Rule(this, id, {
          ruleName: RULE_NAMES[id][0],
          description,
          eventPattern,
          targets: [target],
          ...(eventBus ? { eventBus } : {}),
        }),
      );

    // One feed per finding: GuardDuty's native events, unless its findings are read from the new Security Hub.
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
      action === 'release' ? releases : config.triggers.securityHubActions,
    );
    if (customActions.length > 0) {
      const arns = customActions.map(
        (action) =>
          new securityhub.CfnActionTarget(this, `Action-${action}`, {
            id: CUSTOM_ACTIONS[action].id,
            name: CUSTOM_ACTIONS[action].name,
            description: CUSTOM_ACTIONS[action].description,
          }).attrActionTargetArn,
      );
      rule(
        'SecurityHubActions',
        `lockdown: Security Hub custom actions ${customActions.map((action) => `'${CUSTOM_ACTIONS[action].name}'`).join(' and ')}`,
        TRIGGER_PATTERNS.customActions(arns) as events.EventPattern,
      );
    }
    rule(
      'OutcomesToFindings',
      'lockdown: outcomes of requests that came from a finding, written back to it',
      TRIGGER_PATTERNS.outcomes as events.EventPattern,
      events.EventBus.fromEventBusName(this, 'Outcomes', OUTCOME_EVENT_BUS),
    );

    const audit = sns.Topic.fromTopicArn(this, 'Audit', param(PARAMETERS.auditTopicArn));
    const period = Duration.minutes(1);
    const alarms: Array<[string, string, cloudwatch.IMetric]> = [
      [
        'dlq',
        'A finding or custom action could not be turned into a lockdown request after retries: see lockdown-triggers-dlq.',
        this.deadLetters.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
      ],
      [
        'errors',
        'The triggers function failed (Lambda retries it, then lockdown-triggers-dlq).',
        this.fn.fn.metricErrors({ period, statistic: 'Sum' }),
      ],
    ];
    for (const [name, alarmDescription, metric] of alarms)
      new cloudwatch.Alarm(this, `Alarm-${name}`, {
        alarmName: `${ALARM_PREFIX}triggers-${name}`,
        alarmDescription,
        metric,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new actions.SnsAction(audit));
  }
}
