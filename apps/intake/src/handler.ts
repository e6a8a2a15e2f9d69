import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SNSEvent } from 'aws-lambda';
import { AuditTrail, clientSettings } from '@lockdown/aws';
import { ExternalIdSecret } from '@lockdown/publishing';
import { loadIntakeConfig } from './config';
import { DispatchPublisher } from './adapters/dispatch-publisher';
import { Intake } from './intake';

export interface IntakeClients {
  sns?: SNSClient;
  secrets?: SecretsManagerClient;
  events?: EventBridgeClient;
}

/** Wires the intake once per container; clients may be injected (tests, the local drill). */
export function createIntakeHandler(env: NodeJS.ProcessEnv = process.env, clients: IntakeClients = {}) {
  const config = loadIntakeConfig(env);
  const logger = new Logger({ serviceName: 'intake' });
  const metrics = new Metrics({ namespace: 'Lockdown', serviceName: 'intake' });
  const sns = clients.sns ?? new SNSClient(clientSettings(config.maxAttempts));
  const secrets = clients.secrets ?? new SecretsManagerClient(clientSettings(config.maxAttempts));
  const secret = new ExternalIdSecret(config.externalIdSecretArn, secrets);
  const intake = new Intake({
    policy: async () => ({
      expectedExternalId: await secret.get(),
      onboardedAccounts: config.onboardedAccounts,
      protectedSet: config.protectedSet,
      topics: config.topics,
    }),
    dispatch: new DispatchPublisher(config.dispatchTopicArn, sns),
    audit: new AuditTrail({
      topicArn: config.auditTopicArn,
      logger,
      metrics,
      sns,
      // The outcome events' bus (EVENT_BUS_NAME, set by the core stack).
      ...(env.EVENT_BUS_NAME
        ? { eventBusName: env.EVENT_BUS_NAME, events: clients.events ?? new EventBridgeClient(clientSettings(config.maxAttempts)) }
        : {}),
    }),
  });
  return async (event: SNSEvent, context?: Context) => {
    if (context) logger.addContext(context);
    const result = await intake.handle(event);
    logger.info('intake done', result);
    return result;
  };
}
