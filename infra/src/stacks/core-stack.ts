import { Stack, StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { OUTCOME_EVENT_BUS } from '@lockdown/contracts';
import { LockdownConfig } from '@lockdown/services';
import { shareCoreArns } from '../constructs/core-parameters';
import { CoreTopics } from '../constructs/core-topics';
import { deliveryFailedAlarms } from '../constructs/delivery-alarms';
import { EncryptedTopic } from '../constructs/encrypted-topic';
import { externalIdSecret } from '../constructs/external-id';
import { IntakeFailures } from '../constructs/intake-failures';
import { IntakeFunction } from '../constructs/intake-function';
import { LockdownFunction } from '../constructs/lockdown-function';

export interface CoreStackProps extends StackProps {
  readonly config: LockdownConfig;
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
    const topics = new CoreTopics(this, { config });
    [this.ingress, this.release, this.dispatch, this.audit] = [topics.ingress, topics.release, topics.dispatch, topics.audit];
    this.outcomes = new events.EventBus(this, 'Outcomes', { eventBusName: OUTCOME_EVENT_BUS });
    const secret = externalIdSecret(this);
    const failures = new IntakeFailures(this, { requestTopics: topics.requestTopics, auditTopic: topics.audit.topic });
    this.intake = new IntakeFunction(this, { config, topics, externalIdSecretArn: secret.secretArn, failures }).fn;
    deliveryFailedAlarms(
      this,
      { ingress: topics.ingress.topic, release: topics.release.topic, dispatch: topics.dispatch.topic },
      topics.audit.topic,
    );
    shareCoreArns(this, topics, secret.secretArn);
  }
}
