import { Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  OUTCOME_EVENT_BUS,
  ServiceName,
  auditMetricName,
  entityTypesOf,
  ledgerTableName,
  memberRoleNameOf,
  settingsEnvironment,
} from '@lockdown/contracts';
import {
  LockdownConfig,
  concurrencyOf,
  descriptorOf,
  reservedConcurrencyOf,
  scopeEnvironment,
  sweepContains,
  sweepEnvironment,
} from '@lockdown/services';
import { LockdownFunction } from '../constructs/lockdown-function';
import { putOutcomeEvents } from '../constructs/outcome-events';
import { ServiceDashboard } from '../constructs/service-dashboard';
import { grantSweepPublishing } from '../constructs/sweep-publisher';
import { SubscriptionDeadLetters } from '../constructs/subscription-dead-letters';
import { ALARM_PREFIX, PARAMETERS, bundlePath, functionName, serviceRoleName } from '../names';

export interface ServiceStackProps extends StackProps {
  service: ServiceName;
  config: LockdownConfig;
}

export const FUNCTION_TIMEOUT = Duration.seconds(60);
export const MAX_RECEIVE_COUNT = 5;
/** A request older than this in a service queue raises an alarm (retries take up to 5 x 6 min only when something fails). */
export const OLDEST_MESSAGE_ALARM_SECONDS = 600;

/** The SNS filter policy of a service's subscription, built from the routing table. */
export const filterPolicyOf = (service: ServiceName) => ({
  entityType: sns.SubscriptionFilter.stringFilter({ allowlist: entityTypesOf(service) }),
});

/**
 * One containment service, deployable on its own: its queue and DLQ (with the one alarm), its
 * subscription to the dispatch topic, its ledger table, its function and role, its dashboard.
 * It finds the core stack's topics through SSM parameters, not CloudFormation exports.
 */
export class ServiceStack extends Stack {
  readonly fn: LockdownFunction;
  readonly queue: sqs.Queue;
  readonly dlq: sqs.Queue;
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { service, config } = props;
    const descriptor = descriptorOf(service);
    const dispatchTopic = sns.Topic.fromTopicArn(
      this,
      'Dispatch',
      ssm.StringParameter.valueForStringParameter(this, PARAMETERS.dispatchTopicArn),
    );
    const auditTopic = sns.Topic.fromTopicArn(this, 'Audit', ssm.StringParameter.valueForStringParameter(this, PARAMETERS.auditTopicArn));
    const auditKeyArn = ssm.StringParameter.valueForStringParameter(this, PARAMETERS.auditKeyArn);
    // A sweep that contains publishes its derived requests to the ingress topic, like any publisher.
    const param = (name: string) => ssm.StringParameter.valueForStringParameter(this, name);
    const ingress = sweepContains(config.sweep)
      ? {
          topicArn: param(PARAMETERS.ingressTopicArn),
          keyArn: param(PARAMETERS.ingressKeyArn),
          externalIdSecretArn: param(PARAMETERS.externalIdSecretArn),
        }
      : undefined;

    const key = new kms.Key(this, 'QueueKey', { enableKeyRotation: true, description: `Encrypts the ${service} queues` });
    // SNS must be able to encrypt what it delivers from the dispatch topic.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:SourceArn': dispatchTopic.topicArn } },
      }),
    );
    this.dlq = new sqs.Queue(this, 'DeadLetters', {
      queueName: `lockdown-${service}-dlq`,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    NagSuppressions.addResourceSuppressions(this.dlq, [
      { id: 'AwsSolutions-SQS3', reason: 'This is the dead-letter queue of the service queue, watched by its alarm.' },
    ]);
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: `lockdown-${service}`,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      visibilityTimeout: Duration.seconds(FUNCTION_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.dlq, maxReceiveCount: MAX_RECEIVE_COUNT },
      enforceSSL: true,
    });
    const undelivered = new SubscriptionDeadLetters(this, 'SubscriptionDeadLetters', {
      topic: dispatchTopic,
      subscriber: service,
      key,
      alarmTopic: auditTopic,
      alarmPrefix: ALARM_PREFIX,
    });
    dispatchTopic.addSubscription(
      new subscriptions.SqsSubscription(this.queue, {
        rawMessageDelivery: true,
        filterPolicy: filterPolicyOf(service),
        deadLetterQueue: undelivered.queue,
      }),
    );
    // Requests arrive only from the dispatch topic (so through the intake's checks); the service also
    // sends its own (tamper-watch ticks, EC2's phase 2).
    const notFrom: Record<string, string> = {
      'aws:SourceArn': dispatchTopic.topicArn,
      'aws:PrincipalArn': `arn:${this.partition}:iam::${this.account}:role/${serviceRoleName(service)}`,
    };
    this.queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyFromTheDispatchTopic',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
        conditions: { ArnNotEquals: notFrom },
      }),
    );

    this.table = new dynamodb.Table(this, 'Ledger', {
      tableName: ledgerTableName(service),
      partitionKey: { name: 'arn', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const { batchSize, maximumConcurrency } = concurrencyOf(config, service);
    this.fn = new LockdownFunction(this, 'Service', {
      functionName: functionName(service),
      roleName: serviceRoleName(service),
      bundle: bundlePath(service),
      timeout: FUNCTION_TIMEOUT,
      reservedConcurrency: reservedConcurrencyOf(config, service),
      description: `lockdown ${service}: ${descriptor.summary}`,
      environment: {
        POWERTOOLS_SERVICE_NAME: service,
        AUDIT_TOPIC_ARN: auditTopic.topicArn,
        LEDGER_TABLE_NAME: this.table.tableName,
        MEMBER_EXTERNAL_ID: config.memberExternalId,
        MAX_RECEIVE_COUNT: String(MAX_RECEIVE_COUNT),
        // Each invocation paces its calls within 1/maximumConcurrency of each account's API budgets.
        MAXIMUM_CONCURRENCY: String(maximumConcurrency),
        // The intake's scope, checked again on receipt.
        ...scopeEnvironment(config, this),
        // The member role it assumes: its own where it has one (identity-center-lockdown), else the shared one.
        MEMBER_ROLE_NAME: memberRoleNameOf(config.memberRoleName, service),
        // Its own queue (tamper-watch ticks, EC2's phase 2) and the watch's schedule.
        QUEUE_URL: this.queue.queueUrl,
        EVENT_BUS_NAME: OUTCOME_EVENT_BUS,
        WATCH_SCHEDULE: config.watchSchedule.join(','),
        ...settingsEnvironment(descriptor, config),
        // The persistence sweep (SWEEP_*), and where it publishes what its policy contains.
        ...sweepEnvironment(config.sweep, ingress),
      },
    });
    this.fn.fn.addEventSource(
      new sources.SqsEventSource(this.queue, { batchSize, maxConcurrency: maximumConcurrency, reportBatchItemFailures: true }),
    );
    this.grantExactly(service, config, auditTopic, auditKeyArn, key);
    if (ingress) grantSweepPublishing(this.fn.role, ingress);

    this.alarms(service, auditTopic);

    new ServiceDashboard(this, 'Monitoring', { service, fn: this.fn.fn, queue: this.queue, dlq: this.dlq });
  }

  /**
   * Each alarm notifies the audit topic: a message in the DLQ, a FAILED outcome (the audit trail's
   * metric, before any DLQ), handler errors, throttles, and a queue that stops draining.
   */
  private alarms(service: ServiceName, auditTopic: sns.ITopic) {
    const period = Duration.minutes(1);
    const alarms: Array<[string, string, cloudwatch.IMetric, number]> = [
      [
        'dlq',
        `A ${service} request failed after ${MAX_RECEIVE_COUNT} attempts and is in lockdown-${service}-dlq: the entity may not be contained.`,
        this.dlq.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        0,
      ],
      [
        'failed',
        `${service} reported a FAILED outcome (see the audit email): the entity may not be contained.`,
        new cloudwatch.Metric({
          namespace: 'Lockdown',
          metricName: auditMetricName('failed'),
          dimensionsMap: { service, source: service },
          statistic: 'Sum',
          period,
        }),
        0,
      ],
      [
        'tampered',
        `The ${service} tamper watch found a containment step undone after containment and re-applied it (see the TAMPERED audit email): someone with access to the account is fighting back.`,
        new cloudwatch.Metric({
          namespace: 'Lockdown',
          metricName: auditMetricName('tampered'),
          dimensionsMap: { service, source: service },
          statistic: 'Sum',
          period,
        }),
        0,
      ],
      [
        'errors',
        `The ${service} function failed an invocation (not a record): see its logs.`,
        this.fn.fn.metricErrors({ period, statistic: 'Sum' }),
        0,
      ],
      [
        'throttles',
        `The ${service} function was throttled: requests wait in its queue.`,
        this.fn.fn.metricThrottles({ period, statistic: 'Sum' }),
        0,
      ],
      [
        'oldest-message',
        `A ${service} request has waited more than ${OLDEST_MESSAGE_ALARM_SECONDS} s in its queue: containment is late.`,
        this.queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' }),
        OLDEST_MESSAGE_ALARM_SECONDS,
      ],
    ];
    for (const [name, description, metric, threshold] of alarms)
      new cloudwatch.Alarm(this, `Alarm-${name}`, {
        alarmName: `${ALARM_PREFIX}${service}-${name}`,
        alarmDescription: description,
        metric,
        threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new actions.SnsAction(auditTopic));
  }

  /** The role gets exactly what the code calls: assume the member role, audit, its ledger (and its own queue). */
  private grantExactly(service: ServiceName, config: LockdownConfig, auditTopic: sns.ITopic, auditKeyArn: string, key: kms.Key) {
    const role = this.fn.role;
    const accounts = config.onboardedAccounts === 'all' ? ['*'] : config.onboardedAccounts;
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeMemberRole',
        actions: ['sts:AssumeRole'],
        resources: accounts.map(
          (account) => `arn:${this.partition}:iam::${account}:role/${memberRoleNameOf(config.memberRoleName, service)}`,
        ),
      }),
    );
    role.addToPolicy(new iam.PolicyStatement({ sid: 'Audit', actions: ['sns:Publish'], resources: [auditTopic.topicArn] }));
    role.addToPolicy(putOutcomeEvents(this));
    role.addToPolicy(
      new iam.PolicyStatement({ sid: 'AuditKey', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [auditKeyArn] }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'Ledger',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [this.table.tableArn],
      }),
    );
    // Tamper-watch ticks and ec2-isolation's phase 2 are delayed messages to its own queue.
    role.addToPolicy(new iam.PolicyStatement({ sid: 'OwnQueue', actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }));
    role.addToPolicy(
      new iam.PolicyStatement({ sid: 'OwnQueueKey', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key.keyArn] }),
    );
    if (config.onboardedAccounts === 'all')
      NagSuppressions.addResourceSuppressions(
        role,
        [
          {
            id: 'AwsSolutions-IAM5',
            reason: `onboardedAccounts is "all": the service may assume its member role (${memberRoleNameOf(config.memberRoleName, service)}, a fixed name) in any account; that role trusts only lockdown's service roles (a service's own member role: that service's role only) and requires the ExternalId.`,
            appliesTo: [`Resource::arn:<AWS::Partition>:iam::*:role/${memberRoleNameOf(config.memberRoleName, service)}`],
          },
        ],
        true,
      );
  }
}
