import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { ServiceName } from '@lockdown/contracts';
import { AuditTrail } from '../audit-trail';
import { clientSettings } from '../client-config';
import { DynamoDbLedger } from '../dynamodb-ledger';
import { MemberAccounts } from '../member-accounts';
import { loadServiceConfig } from './service-config';
import { UseCase, createSqsHandler } from './sqs-handler';

/** Clients a service may be given instead of the defaults (tests, the local drill). */
export interface ServiceClients {
  sns?: SNSClient;
  sts?: STSClient;
  dynamodb?: DynamoDBClient;
}

/**
 * What every containment service wires the same way, once per container: configuration,
 * logging and metrics, cross-account access, its ledger, its audit trail, and the SQS handler
 * around its use case.
 */
export function serviceWiring(service: ServiceName, env: NodeJS.ProcessEnv, clients: ServiceClients = {}) {
  const config = loadServiceConfig(service, env);
  const settings = clientSettings(config.maxAttempts);
  const logger = new Logger({ serviceName: service });
  const metrics = new Metrics({ namespace: 'Lockdown', serviceName: service });
  const members = new MemberAccounts({
    roleName: config.memberRoleName,
    externalId: config.memberExternalId,
    service,
    sts: clients.sts ?? new STSClient(settings),
    maxAttempts: config.maxAttempts,
  });
  const ledger = new DynamoDbLedger(config.ledgerTableName, clients.dynamodb ?? new DynamoDBClient(settings));
  const audit = new AuditTrail({ topicArn: config.auditTopicArn, logger, metrics, sns: clients.sns ?? new SNSClient(settings) });
  return {
    config,
    settings,
    members,
    ledger,
    handler: (useCase: UseCase) =>
      createSqsHandler({ service, useCase, audit, logger, maxReceiveCount: config.maxReceiveCount, scope: config.scope }),
  };
}
