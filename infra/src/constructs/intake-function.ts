import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { OUTCOME_EVENT_BUS } from '@lockdown/contracts';
import { LockdownConfig, reservedConcurrencyOf, scopeEnvironment } from '@lockdown/services';
import { bundlePath, functionName, serviceRoleName } from '../names';
import { CoreTopics } from './core-topics';
import { IntakeFailures } from './intake-failures';
import { LockdownFunction } from './lockdown-function';
import { putOutcomeEvents } from './outcome-events';
import { SubscriptionDeadLetters } from './subscription-dead-letters';

export interface IntakeFunctionProps {
  readonly config: LockdownConfig;
  readonly topics: CoreTopics;
  readonly externalIdSecretArn: string;
  /** Its on-failure destination, and the key SNS keeps undelivered requests under. */
  readonly failures: IntakeFailures;
}

/**
 * The intake (`Intake`, added to its scope): subscribed to the ingress and release topics, the only
 * publisher to the dispatch topic, with exactly the calls it makes and its failures kept.
 */
export class IntakeFunction {
  readonly fn: LockdownFunction;

  constructor(scope: Construct, props: IntakeFunctionProps) {
    const { config, topics, failures } = props;
    this.fn = new LockdownFunction(scope, 'Intake', {
      functionName: functionName('intake'),
      roleName: serviceRoleName('intake'),
      bundle: bundlePath('intake'),
      timeout: Duration.seconds(30),
      reservedConcurrency: reservedConcurrencyOf(config, 'intake'),
      description: 'lockdown intake: authenticates and validates requests, dispatches them',
      environment: {
        POWERTOOLS_SERVICE_NAME: 'intake',
        EXTERNAL_ID_SECRET_ARN: props.externalIdSecretArn,
        INGRESS_TOPIC_ARN: topics.ingress.topic.topicArn,
        RELEASE_TOPIC_ARN: topics.release.topic.topicArn,
        DISPATCH_TOPIC_ARN: topics.dispatch.topic.topicArn,
        AUDIT_TOPIC_ARN: topics.audit.topic.topicArn,
        ...scopeEnvironment(config, Stack.of(scope)),
        EVENT_BUS_NAME: OUTCOME_EVENT_BUS,
      },
    });
    this.fn.role.addToPolicy(putOutcomeEvents(Stack.of(scope)));
    // The destination by ARN, with exactly the grants delivery needs (CDK's SqsDestination would
    // also grant kms:Encrypt and kms:ReEncrypt* on the key).
    this.fn.fn.configureAsyncInvoke({
      onFailure: { bind: () => ({ destination: failures.queue.queueArn }) },
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    });
    this.grantCalls(props);
    this.subscribe(scope, props);
  }

  /** Exactly the calls the intake makes: its failure destination, read the secret, publish to two encrypted topics. */
  private grantCalls({ topics, failures, externalIdSecretArn }: IntakeFunctionProps) {
    const statements = [
      new iam.PolicyStatement({ sid: 'FailureDestination', actions: ['sqs:SendMessage'], resources: [failures.queue.queueArn] }),
      new iam.PolicyStatement({
        sid: 'FailureDestinationKey',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [failures.key.keyArn],
      }),
      new iam.PolicyStatement({ sid: 'ReadExternalId', actions: ['secretsmanager:GetSecretValue'], resources: [externalIdSecretArn] }),
      new iam.PolicyStatement({
        sid: 'Publish',
        actions: ['sns:Publish'],
        resources: [topics.dispatch.topic.topicArn, topics.audit.topic.topicArn],
      }),
      new iam.PolicyStatement({
        sid: 'TopicKeys',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [topics.dispatch.key.keyArn, topics.audit.key.keyArn],
      }),
    ];
    for (const statement of statements) this.fn.role.addToPolicy(statement);
  }

  /**
   * The intake takes both authorities' requests and tells them apart by the topic SNS names, and
   * only it publishes requests to the services: nobody can skip its checks.
   */
  private subscribe(scope: Construct, { topics, failures }: IntakeFunctionProps) {
    const undelivered = (topic: sns.ITopic, subscriber: string) =>
      new SubscriptionDeadLetters(scope, `${subscriber === 'intake' ? 'Intake' : 'IntakeRelease'}SubscriptionDeadLetters`, {
        topic,
        subscriber,
        key: failures.key,
        alarmTopic: topics.audit.topic,
      }).queue;
    // (Both topics' constructs are named Topic, under which LambdaSubscription would name both subscriptions.)
    topics.ingress.topic.addSubscription(
      new subscriptions.LambdaSubscription(this.fn.fn, { deadLetterQueue: undelivered(topics.ingress.topic, 'intake') }),
    );
    this.fn.fn.addPermission('AllowInvokeFromRelease', {
      principal: new iam.ServicePrincipal('sns.amazonaws.com'),
      sourceArn: topics.release.topic.topicArn,
    });
    new sns.Subscription(scope, 'ReleaseToIntake', {
      topic: topics.release.topic,
      protocol: sns.SubscriptionProtocol.LAMBDA,
      endpoint: this.fn.fn.functionArn,
      deadLetterQueue: undelivered(topics.release.topic, 'intake-release'),
    });
    topics.dispatch.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyTheIntakePublishes',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['sns:Publish'],
        resources: [topics.dispatch.topic.topicArn],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': this.fn.role.roleArn } },
      }),
    );
  }
}
