import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { AuditTrail, DynamoDbLedger, MemberAccounts, clientSettings, createSqsHandler, loadServiceConfig } from '@lockdown/aws';
import { RoleMode } from './domain/plan';
import { lambdaLockdown } from './use-case';

export interface LambdaLockdownClients {
  sns?: SNSClient;
  sts?: STSClient;
  dynamodb?: DynamoDBClient;
}

function roleMode(value: string | undefined): RoleMode {
  if (value === undefined || value === '' || value === 'targeted') return 'targeted';
  if (value === 'whole-role') return 'whole-role';
  throw new Error(`lambda-lockdown is not configured: LAMBDA_ROLE_MODE must be "targeted" or "whole-role", got "${value}"`);
}

/** Wires lambda-lockdown once per container; clients may be injected (tests, the local drill). */
export function createLambdaLockdownHandler(env: NodeJS.ProcessEnv = process.env, clients: LambdaLockdownClients = {}) {
  const service = 'lambda-lockdown';
  const config = loadServiceConfig(service, env);
  const mode = roleMode(env.LAMBDA_ROLE_MODE);
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
  const useCase = lambdaLockdown({
    clientsFor: ({ entity, requestId }) => {
      if (entity.type !== 'lambda-function') throw new Error(`not a function: ${entity.arn}`);
      const target = { ...entity, requestId };
      return { lambda: new LambdaClient(members.clientConfig(target)), iam: new IAMClient(members.clientConfig(target, 'global')) };
    },
    ledger: new DynamoDbLedger(config.ledgerTableName, clients.dynamodb ?? new DynamoDBClient(settings)),
    roleMode: mode,
  });
  return createSqsHandler({
    service,
    useCase,
    audit: new AuditTrail({ topicArn: config.auditTopicArn, logger, metrics, sns: clients.sns ?? new SNSClient(settings) }),
    logger,
    maxReceiveCount: config.maxReceiveCount,
  });
}
