import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { AUDIT_TOPIC_NAME, AUTHORITIES } from '@lockdown/contracts';
import { LockdownConfig } from '@lockdown/services';
import { ALARM_PREFIX, triggersRoleArn } from '../names';
import { EncryptedTopic } from './encrypted-topic';

export interface CoreTopicsProps {
  readonly config: LockdownConfig;
}

/**
 * The core stack's four topics (`Ingress`, `Release`, `Dispatch`, `Audit`, added to its scope), each
 * with its own key: responders publish containments to the ingress topic and releases to the release
 * topic (its own publishers: release is its own authority), the intake dispatches to the services,
 * and the audit topic emails the responders and takes lockdown's alarms.
 */
export class CoreTopics {
  readonly ingress: EncryptedTopic;
  readonly release: EncryptedTopic;
  readonly dispatch: EncryptedTopic;
  readonly audit: EncryptedTopic;

  constructor(scope: Construct, { config }: CoreTopicsProps) {
    const stack = Stack.of(scope);
    this.ingress = new EncryptedTopic(scope, 'Ingress', { topicName: AUTHORITIES.ingress.topicName, displayName: 'lockdown requests' });
    this.release = new EncryptedTopic(scope, 'Release', { topicName: AUTHORITIES.release.topicName, displayName: 'lockdown releases' });
    this.dispatch = new EncryptedTopic(scope, 'Dispatch', { topicName: 'lockdown-dispatch', displayName: 'lockdown dispatch' });
    this.audit = new EncryptedTopic(scope, 'Audit', {
      topicName: AUDIT_TOPIC_NAME,
      displayName: 'lockdown audit',
      servicePublishers: [
        {
          service: 'cloudwatch.amazonaws.com',
          sourceArnLike: `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:${ALARM_PREFIX}*`,
        },
      ],
    });
    for (const email of config.auditEmails) this.audit.topic.addSubscription(new subscriptions.EmailSubscription(email));
    this.allowPublishers(config, stack);
  }

  /**
   * Responders need one permission: sns:Publish on the ingress topic (and, through SNS only, its key).
   * Release is its own authority: the releasers may publish to the release topic, and nobody else,
   * whatever else IAM allows them (an explicit deny); the triggers' role only with the Security Hub release action on.
   */
  private allowPublishers(config: LockdownConfig, stack: Stack) {
    this.ingress.allowPublishers('AllowedPublishers', config.allowedPublishers);
    this.release.allowPublishers('AllowedReleasers', config.allowedReleasers);
    const releasers = [...config.allowedReleasers, ...(config.triggers.securityHubRelease ? [triggersRoleArn(stack)] : [])];
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
  }

  /** The topics a responder publishes requests to (the intake takes both). */
  get requestTopics() {
    return [this.ingress.topic, this.release.topic];
  }
}
