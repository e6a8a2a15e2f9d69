import { CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { AUDIT_TOPIC_NAME, AUTHORITIES, OUTCOME_EVENT_BUS } from '@lockdown/contracts';
import { LockdownConfig, reservedConcurrencyOf, scopeEnvironment } from '@lockdown/services';
import { putOutcomeEvents } from '../constructs/outcome-events';
import { EncryptedTopic } from '../constructs/encrypted-topic';
import { LockdownFunction } from '../constructs/lockdown-function';
import { SubscriptionDeadLetters } from '../constructs/subscription-dead-letters';
import { ALARM_PREFIX, PARAMETERS, bundlePath, functionName, serviceRoleName, triggersRoleArn } from '../names';

export interface CoreStackProps extends StackProps {
  config: LockdownConfig;
}

/**
 * The security account's front door: the ingress topic (responders publish containments here),
 * the release topic (its own publishers: release is its own authority), the intake, the dispatch
 * topic the services subscribe to, the audit topic (emails), the ExternalId secret.
 */
export class CoreStack extends Stack {
  readonly ingress: EncryptedTopic;
  readonly release: EncryptedTopic;
  readonly dispatch: EncryptedTopic;
  readonly audit: EncryptedTopic;
  readonly intake: LockdownFunction;
  /** Every audit outcome, as an EventBridge event (source `lockdown`): chat, SOAR and ticketing subscribe with rules. */
  readonly outcomes: events.EventBus;

  constructor(scope: Construct, id: string, props: CoreStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.ingress = new EncryptedTopic(this, 'Ingress', { topicName: AUTHORITIES.ingress.topicName, displayName: 'lockdown requests' });
    this.release = new EncryptedTopic(this, 'Release', { topicName: AUTHORITIES.release.topicName, displayName: 'lockdown releases' });
    this.dispatch = new EncryptedTopic(this, 'Dispatch', { topicName: 'lockdown-dispatch', displayName: 'lockdown dispatch' });
    this.audit = new EncryptedTopic(this, 'Audit', {
      topicName: AUDIT_TOPIC_NAME,
      displayName: 'lockdown audit',
      servicePublishers: [
        {
          service: 'cloudwatch.amazonaws.com',
          sourceArnLike: `arn:${this.partition}:cloudwatch:${this.region}:${this.account}:alarm:${ALARM_PREFIX}*`,
        },
      ],
    });
    for (const email of config.auditEmails) this.audit.topic.addSubscription(new subscriptions.EmailSubscription(email));
    this.outcomes = new events.EventBus(this, 'Outcomes', { eventBusName: OUTCOME_EVENT_BUS });

    // Responders need one permission: sns:Publish on the ingress topic (and, through SNS only, its key).
    this.ingress.allowPublishers('AllowedPublishers', config.allowedPublishers);
    // Release is its own authority: the releasers may publish to the release topic, and nobody else,
    // whatever else IAM allows them (an explicit deny); the triggers' role only with the Security Hub release action on.
    this.release.allowPublishers('AllowedReleasers', config.allowedReleasers);
    const releasers = [...config.allowedReleasers, ...(config.triggers.securityHubRelease ? [triggersRoleArn(this)] : [])];
    this.release.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyReleasersPublish',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['sns:Publish'],
        resources: [this.release.topic.topicArn],
        ...(releasers.length > 0 ? { conditions: { ArnNotEquals: { 'aws:PrincipalArn': releasers } } } : {}),
      }),
    );

    const secret = new secrets.Secret(this, 'ExternalId', {
      description: 'The ExternalId every lockdown request must carry (message attribute ExternalId)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    NagSuppressions.addResourceSuppressions(secret, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'The ExternalId is shared with every publisher; rotating it is a coordinated change (update the secret, then the publishers), not an automatic rotation.',
      },
    ]);

    // Lambda delivers failed events here with the intake's role. They are whole SNS events, so they
    // carry the request's ExternalId attribute: their own key, used to write by the intake only,
    // readable by whoever the account's IAM lets decrypt with it (the responders who replay them).
    const failuresKey = new kms.Key(this, 'IntakeFailuresKey', {
      enableKeyRotation: true,
      description: 'Encrypts lockdown-intake-failures (events carry the ExternalId)',
    });
    const failures = new sqs.Queue(this, 'IntakeFailures', {
      queueName: 'lockdown-intake-failures',
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: failuresKey,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    NagSuppressions.addResourceSuppressions(failures, [
      {
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is itself the dead end of the intake (its on-failure destination), watched by an alarm.',
      },
    ]);

    this.intake = new LockdownFunction(this, 'Intake', {
      functionName: functionName('intake'),
      roleName: serviceRoleName('intake'),
      bundle: bundlePath('intake'),
      timeout: Duration.seconds(30),
      reservedConcurrency: reservedConcurrencyOf(config, 'intake'),
      description: 'lockdown intake: authenticates and validates requests, dispatches them',
      environment: {
        POWERTOOLS_SERVICE_NAME: 'intake',
        EXTERNAL_ID_SECRET_ARN: secret.secretArn,
        INGRESS_TOPIC_ARN: this.ingress.topic.topicArn,
        RELEASE_TOPIC_ARN: this.release.topic.topicArn,
        DISPATCH_TOPIC_ARN: this.dispatch.topic.topicArn,
        AUDIT_TOPIC_ARN: this.audit.topic.topicArn,
        ...scopeEnvironment(config, this),
        EVENT_BUS_NAME: OUTCOME_EVENT_BUS,
      },
    });
    this.intake.role.addToPolicy(putOutcomeEvents(this));
    // The destination by ARN, with exactly the grants delivery needs (CDK's SqsDestination would
    // also grant kms:Encrypt and kms:ReEncrypt* on the key).
    this.intake.fn.configureAsyncInvoke({
      onFailure: { bind: () => ({ destination: failures.queueArn }) },
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    });
    this.intake.role.addToPolicy(
      new iam.PolicyStatement({ sid: 'FailureDestination', actions: ['sqs:SendMessage'], resources: [failures.queueArn] }),
    );
    this.intake.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'FailureDestinationKey',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [failuresKey.keyArn],
      }),
    );
    // Exactly the calls the intake makes: read the secret, publish to two encrypted topics.
    this.intake.role.addToPolicy(
      new iam.PolicyStatement({ sid: 'ReadExternalId', actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
    );
    this.intake.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'Publish',
        actions: ['sns:Publish'],
        resources: [this.dispatch.topic.topicArn, this.audit.topic.topicArn],
      }),
    );
    this.intake.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'TopicKeys',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [this.dispatch.key.keyArn, this.audit.key.keyArn],
      }),
    );
    // What SNS cannot hand to the intake (its invoke permission or the function broken) is kept, like
    // the intake's failures, under the failures key: the messages carry the ExternalId.
    failuresKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'SnsKeepsUndeliveredRequests',
        principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:SourceArn': [this.ingress.topic.topicArn, this.release.topic.topicArn] } },
      }),
    );
    const undelivered = (topic: sns.ITopic, subscriber: string) =>
      new SubscriptionDeadLetters(this, `${subscriber === 'intake' ? 'Intake' : 'IntakeRelease'}SubscriptionDeadLetters`, {
        topic,
        subscriber,
        key: failuresKey,
        alarmTopic: this.audit.topic,
        alarmPrefix: ALARM_PREFIX,
      }).queue;
    // The intake takes both authorities' requests and tells them apart by the topic SNS names. (Both
    // topics' constructs are named Topic, under which LambdaSubscription would name both subscriptions.)
    this.ingress.topic.addSubscription(
      new subscriptions.LambdaSubscription(this.intake.fn, { deadLetterQueue: undelivered(this.ingress.topic, 'intake') }),
    );
    this.intake.fn.addPermission('AllowInvokeFromRelease', {
      principal: new iam.ServicePrincipal('sns.amazonaws.com'),
      sourceArn: this.release.topic.topicArn,
    });
    new sns.Subscription(this, 'ReleaseToIntake', {
      topic: this.release.topic,
      protocol: sns.SubscriptionProtocol.LAMBDA,
      endpoint: this.intake.fn.functionArn,
      deadLetterQueue: undelivered(this.release.topic, 'intake-release'),
    });
    // Only the intake publishes requests to the services: nobody can skip its checks.
    this.dispatch.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyTheIntakePublishes',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['sns:Publish'],
        resources: [this.dispatch.topic.topicArn],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': this.intake.role.roleArn } },
      }),
    );

    new cloudwatch.Alarm(this, 'IntakeFailuresAlarm', {
      alarmName: `${ALARM_PREFIX}intake-failures`,
      alarmDescription: 'A lockdown request failed in the intake after its retries: see the lockdown-intake-failures queue.',
      metric: failures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(new actions.SnsAction(this.audit.topic));
    // Any delivery SNS gave up on (also one its subscription DLQ could not take): requests are being lost.
    for (const [name, topic] of [
      ['ingress', this.ingress.topic],
      ['release', this.release.topic],
      ['dispatch', this.dispatch.topic],
    ] as const)
      new cloudwatch.Alarm(this, `DeliveryFailedAlarm-${name}`, {
        alarmName: `${ALARM_PREFIX}${name}-delivery-failed`,
        alarmDescription: `SNS failed to deliver a message of lockdown-${name} (see the subscription dead-letter queues): a request may not have reached ${name === 'ingress' ? 'the intake' : 'its service'}.`,
        metric: topic.metricNumberOfNotificationsFailed({ period: Duration.minutes(1), statistic: 'Sum' }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new actions.SnsAction(this.audit.topic));

    new ssm.StringParameter(this, 'DispatchTopicParameter', {
      parameterName: PARAMETERS.dispatchTopicArn,
      stringValue: this.dispatch.topic.topicArn,
    });
    new ssm.StringParameter(this, 'AuditTopicParameter', {
      parameterName: PARAMETERS.auditTopicArn,
      stringValue: this.audit.topic.topicArn,
    });
    new ssm.StringParameter(this, 'AuditKeyParameter', { parameterName: PARAMETERS.auditKeyArn, stringValue: this.audit.key.keyArn });
    // What the triggers stack publishes with, like any publisher: the ingress topic (and, with the
    // Security Hub release action on, the release topic), their keys, the ExternalId.
    new ssm.StringParameter(this, 'IngressTopicParameter', {
      parameterName: PARAMETERS.ingressTopicArn,
      stringValue: this.ingress.topic.topicArn,
    });
    new ssm.StringParameter(this, 'IngressKeyParameter', { parameterName: PARAMETERS.ingressKeyArn, stringValue: this.ingress.key.keyArn });
    new ssm.StringParameter(this, 'ReleaseTopicParameter', {
      parameterName: PARAMETERS.releaseTopicArn,
      stringValue: this.release.topic.topicArn,
    });
    new ssm.StringParameter(this, 'ReleaseKeyParameter', { parameterName: PARAMETERS.releaseKeyArn, stringValue: this.release.key.keyArn });
    new ssm.StringParameter(this, 'ExternalIdSecretParameter', {
      parameterName: PARAMETERS.externalIdSecretArn,
      stringValue: secret.secretArn,
    });

    new CfnOutput(this, 'IngressTopicArn', { value: this.ingress.topic.topicArn, description: 'Publish lockdown requests here' });
    new CfnOutput(this, 'ReleaseTopicArn', {
      value: this.release.topic.topicArn,
      description: 'Publish lockdown releases here (releasers only)',
    });
    new CfnOutput(this, 'ExternalIdSecretArn', { value: secret.secretArn, description: 'The ExternalId requests must carry' });
  }
}
