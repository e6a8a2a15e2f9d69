import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { AuditTrail, DynamoDbLedger, MemberAccounts, clientSettings, createSqsHandler, loadServiceConfig } from '@lockdown/aws';
import { FollowUpQueue, MAX_DELAY_SECONDS } from './adapters/follow-up';
import { ec2Isolation } from './use-case';

export interface Ec2IsolationClients {
  sns?: SNSClient;
  sts?: STSClient;
  sqs?: SQSClient;
  dynamodb?: DynamoDBClient;
}

function ec2Settings(env: NodeJS.ProcessEnv) {
  const queueUrl = env.QUEUE_URL;
  const window = Number(env.UNTRACKED_WINDOW_SECONDS ?? '60');
  const problems = [
    !queueUrl ? 'QUEUE_URL is not set (this service\'s own queue, for the phase-2 follow-up)' : undefined,
    !Number.isInteger(window) || window < 0 || window > MAX_DELAY_SECONDS ? `UNTRACKED_WINDOW_SECONDS must be a whole number from 0 to ${MAX_DELAY_SECONDS}` : undefined,
    !['true', 'false', undefined].includes(env.SNAPSHOT_VOLUMES) ? 'SNAPSHOT_VOLUMES must be "true" or "false"' : undefined,
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`ec2-isolation is not configured: ${problems.join('; ')}`);
  return { queueUrl: queueUrl!, window, snapshots: env.SNAPSHOT_VOLUMES === 'true' };
}

/** Wires ec2-isolation once per container; clients may be injected (tests, the local drill). */
export function createEc2IsolationHandler(env: NodeJS.ProcessEnv = process.env, clients: Ec2IsolationClients = {}) {
  const service = 'ec2-isolation';
  const config = loadServiceConfig(service, env);
  const own = ec2Settings(env);
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
  const useCase = ec2Isolation({
    clientsFor: ({ entity, requestId }) => {
      if (entity.type !== 'ec2-instance') throw new Error(`not an instance: ${entity.arn}`);
      const target = { ...entity, requestId };
      return { ec2: new EC2Client(members.clientConfig(target)), iam: new IAMClient(members.clientConfig(target, 'global')) };
    },
    ledger: new DynamoDbLedger(config.ledgerTableName, clients.dynamodb ?? new DynamoDBClient(settings)),
    followUp: new FollowUpQueue(own.queueUrl, clients.sqs ?? new SQSClient(settings)),
    untrackedWindowSeconds: own.window,
    snapshotVolumes: own.snapshots,
  });
  return createSqsHandler({
    service,
    useCase,
    audit: new AuditTrail({ topicArn: config.auditTopicArn, logger, metrics, sns: clients.sns ?? new SNSClient(settings) }),
    logger,
    maxReceiveCount: config.maxReceiveCount,
  });
}
