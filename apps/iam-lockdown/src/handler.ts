import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { apiRegionOf } from '@lockdown/contracts';
import { AuditTrail, DynamoDbLedger, MemberAccounts, clientSettings, createSqsHandler, loadServiceConfig } from '@lockdown/aws';
import { iamLockdown } from './use-case';

export interface IamLockdownClients {
  sns?: SNSClient;
  sts?: STSClient;
  dynamodb?: DynamoDBClient;
}

/** Wires iam-lockdown once per container; clients may be injected (tests, the local drill). */
export function createIamLockdownHandler(env: NodeJS.ProcessEnv = process.env, clients: IamLockdownClients = {}) {
  const service = 'iam-lockdown';
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
  const useCase = iamLockdown({
    iamFor: (m) => new IAMClient(members.clientConfig({ ...m.entity, region: apiRegionOf(m.entity), requestId: m.requestId }, 'global')),
    ledger: new DynamoDbLedger(config.ledgerTableName, clients.dynamodb ?? new DynamoDBClient(settings)),
    revokeRoleSessions: env.REVOKE_ROLE_SESSIONS === 'true',
  });
  return createSqsHandler({
    service,
    useCase,
    audit: new AuditTrail({ topicArn: config.auditTopicArn, logger, metrics, sns: clients.sns ?? new SNSClient(settings) }),
    logger,
    maxReceiveCount: config.maxReceiveCount,
  });
}
