import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { AuditTrail, clientSettings } from '@lockdown/aws';
import { ExternalIdSecret, publishRequests, targetOf, topicFor } from '@lockdown/publishing';
import { FindingNotes } from './adapters/finding-notes';
import { loadTriggersConfig } from './config';
import { Triggers } from './triggers';

export interface TriggersClients {
  sns?: SNSClient;
  secrets?: SecretsManagerClient;
  events?: EventBridgeClient;
  /** Security Hub in a finding's region. */
  securityHub?: (region: string) => SecurityHubClient;
}

/** Wires the triggers once per container; clients may be injected (tests, the local drill). */
export function createTriggersHandler(env: NodeJS.ProcessEnv = process.env, clients: TriggersClients = {}) {
  const config = loadTriggersConfig(env);
  const logger = new Logger({ serviceName: 'triggers' });
  const metrics = new Metrics({ namespace: 'Lockdown', serviceName: 'triggers' });
  const settings = clientSettings(config.maxAttempts);
  const sns = clients.sns ?? new SNSClient(settings);
  const secret = new ExternalIdSecret(config.externalIdSecretArn, clients.secrets ?? new SecretsManagerClient(settings));
  const triggers = new Triggers({
    policy: config.policy,
    ocsfProducts: config.ocsfProducts,
    releaseAction: config.topics.release !== undefined,
    // A release goes to the release topic, which the triggers have only with the Security Hub release action on.
    publish: async (entities, options) => {
      const topic = topicFor(options.action, config.topics, 'the Security Hub release action is off (triggers.securityHubRelease)');
      return publishRequests(sns, topic, await secret.get(), entities.map(targetOf), options);
    },
    notes: clients.securityHub ? new FindingNotes(clients.securityHub) : FindingNotes.withConfig(settings),
    audit: new AuditTrail({
      topicArn: config.auditTopicArn,
      logger,
      metrics,
      sns,
      ...(config.eventBusName ? { eventBusName: config.eventBusName, events: clients.events ?? new EventBridgeClient(settings) } : {}),
    }),
    logger,
  });
  // Whatever EventBridge delivers is read by the triggers themselves: a malformed event is audited, not thrown.
  return async (event: unknown, context?: Context) => {
    if (context) logger.addContext(context);
    const results = await triggers.handle(event);
    logger.info('triggers done', { results });
    return results;
  };
}
