import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { OWN_MEMBER_ROLE_SUFFIXES, ServiceName, settingsFromEnvironment, sharedMemberRoleNameOf } from '@lockdown/contracts';
import type { ZodMiniObject, z } from 'zod/mini';
import { ApiPacer } from '../api-pacer';
import { AuditTrail } from '../audit-trail';
import { clientSettings } from '../client-config';
import { DynamoDbBudgetStore } from '../dynamodb-budget-store';
import { DynamoDbLedger } from '../dynamodb-ledger';
import { MemberAccounts } from '../member-accounts';
import { OwnQueue } from './own-queue';
import { sweepWiring } from '../sweep/sweep-wiring';
import type { CredentialRoles, RecordedIdentity } from '../sweep/sweep-of-containment';
import { sweepSettingsFromEnvironment } from '../sweep/sweep-settings';
import { loadServiceConfig } from './service-config';
import { parseWatchSchedule } from './tamper-watch';
import { UseCase, createSqsHandler } from './sqs-handler';
import type { ServiceClients, ServiceDescriptor } from './service-descriptor';

/** Clients a service may be given instead of the defaults (tests, the local drill). */
/**
 * What every containment service wires the same way, once per container: configuration (the
 * shared settings and the service's own, parsed with its descriptor's schema), logging and metrics,
 * cross-account access, its ledger, its audit trail, and the SQS handler around its use case
 * (which receives only messages for the entity types the routing table gives the service).
 */
export function serviceWiring<Settings extends ZodMiniObject, S extends ServiceName>(
  descriptor: Pick<ServiceDescriptor<Settings, S>, 'name' | 'settings'>,
  env: NodeJS.ProcessEnv,
  clients: ServiceClients = {},
) {
  const service = descriptor.name;
  const config = loadServiceConfig(service, env);
  const own: z.output<Settings> = settingsFromEnvironment(descriptor, env);
  const settings = clientSettings(config.maxAttempts);
  const logger = new Logger({ serviceName: service });
  const metrics = new Metrics({ namespace: 'Lockdown', serviceName: service });
  const dynamodb = clients.dynamodb ?? new DynamoDBClient(settings);
  // Each account's API budgets, shared by the service's concurrent invocations through its ledger table.
  const budgets = new DynamoDbBudgetStore(config.ledgerTableName, dynamodb);
  const membersAs = (roleName: string) =>
    new MemberAccounts({
      roleName,
      externalId: config.memberExternalId,
      service,
      sts: clients.sts ?? new STSClient(settings),
      maxAttempts: config.maxAttempts,
      // One container runs one invocation at a time: it leases its chunk of each shared budget.
      pacer: new ApiPacer({ concurrency: config.maximumConcurrency, store: budgets }),
    });
  const members = membersAs(config.memberRoleName);
  const ledger = new DynamoDbLedger(config.ledgerTableName, dynamodb);
  const sns = clients.sns ?? new SNSClient(settings);
  const audit = new AuditTrail({
    topicArn: config.auditTopicArn,
    logger,
    metrics,
    sns,
    ...(env.EVENT_BUS_NAME ? { eventBusName: env.EVENT_BUS_NAME, events: clients.events ?? new EventBridgeClient(settings) } : {}),
  });
  // The service's own queue (QUEUE_URL, set by its stack): delayed follow-ups and tamper-watch ticks.
  const ownQueue = env.QUEUE_URL ? new OwnQueue(env.QUEUE_URL, clients.sqs ?? new SQSClient(settings)) : undefined;
  const schedule = parseWatchSchedule(env.WATCH_SCHEDULE);
  if (schedule.length > 0 && !ownQueue)
    throw new Error(`${service} is not configured: WATCH_SCHEDULE needs QUEUE_URL (the service's own queue)`);
  const watch = ownQueue && schedule.length > 0 ? { schedule, queue: ownQueue } : undefined;
  const sweepSettings = sweepSettingsFromEnvironment(env);
  // A service with a member role of its own reads the accounts' CloudTrail with the shared one (which trusts every service's role).
  const sweepMembers = OWN_MEMBER_ROLE_SUFFIXES[service] ? membersAs(sharedMemberRoleNameOf(config.memberRoleName, service)) : members;
  const sweepOf = (credentialRoles?: CredentialRoles, recordedIdentity?: RecordedIdentity) =>
    sweepSettings &&
    sweepWiring(
      service,
      sweepSettings,
      sweepMembers,
      ledger,
      { sns, ...(clients.secrets ? { secrets: clients.secrets } : {}) },
      { ...(credentialRoles ? { credentialRoles } : {}), ...(recordedIdentity ? { recordedIdentity } : {}) },
    );
  return {
    config,
    /** The service's own settings (its descriptor's). */
    own,
    settings,
    members,
    ledger,
    ownQueue,
    /**
     * The SQS handler around the use case; a service whose entities hold credentials of a role says
     * which roles (the sweep's `credentialRoles`), one whose containment records whom to sweep reads it
     * (`recordedIdentity`: identity-center-lockdown's).
     */
    handler: (useCase: UseCase<S>, credentialRoles?: CredentialRoles<S>, recordedIdentity?: RecordedIdentity<S>) => {
      // The SQS handler sweeps only messages it has checked are this service's (the routing check).
      const sweep = sweepOf(credentialRoles as CredentialRoles | undefined, recordedIdentity as RecordedIdentity | undefined);
      return createSqsHandler({
        service,
        useCase,
        audit,
        logger,
        maxReceiveCount: config.maxReceiveCount,
        scope: config.scope,
        ...(watch ? { watch } : {}),
        ...(sweep ? { sweep } : {}),
        ...(ownQueue ? { retryLater: ownQueue } : {}),
      });
    },
  };
}
