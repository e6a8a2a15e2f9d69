import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { STSClient } from '@aws-sdk/client-sts';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { PlannedStep } from '@lockdown/containment';
import type { EntityOf, EntityType, PolicyStatement, ServiceName } from '@lockdown/contracts';
import type { ZodMiniObject } from 'zod/mini';

/** The SDK clients a service's handler may be given (tests, the local drill); the rest it makes itself. */
export interface ServiceClients {
  sns?: SNSClient;
  sts?: STSClient;
  dynamodb?: DynamoDBClient;
  /** The service's own queue (delayed follow-ups and tamper-watch ticks). */
  sqs?: SQSClient;
  /** The bus of the outcome events. */
  events?: EventBridgeClient;
  /** The ExternalId secret the persistence sweep's derived containments are published with. */
  secrets?: SecretsManagerClient;
}

/** The Lambda handler every containment service exports (SQS event source, partial batch response). */
export type ServiceHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** What a service needs at run time, loaded only by those that run it (the CLI's plan, the drill, the bench). */
export interface ServiceRuntime<S extends ServiceName = ServiceName> {
  /** Wires the handler from its environment; clients may be injected (tests, the local drill). */
  createHandler(env: NodeJS.ProcessEnv, clients: ServiceClients & { sqs?: SQSClient }): ServiceHandler;
  /** The plan the service would run for an entity it contains, from its own plan function, on an example starting state. */
  examplePlan(entity: EntityOf<S>, now: string): { assumes: string; steps: PlannedStep[] };
}

export interface MemberPolicyContext {
  /** `aws`, `aws-cn`, `aws-us-gov`, or a CloudFormation token. */
  partition: string;
  /** The member account id, or a CloudFormation token. */
  account: string;
}

/**
 * Everything the rest of lockdown knows about a containment service, in one place: the stacks,
 * the CLI's plan, the drill, the bench and the lint configuration loop over these. Pure data and
 * functions without AWS calls (the stacks read it at synth time); the handler is behind `runtime`.
 * The entity types a service owns are the routing table's (`entityTypesOf`), not restated here.
 */
export interface ServiceDescriptor<Settings extends ZodMiniObject = ZodMiniObject, S extends ServiceName = ServiceName> {
  name: S;
  /** One line for the function's description and the docs. */
  summary: string;
  /** SQS batch size and the event source's maximumConcurrency, chosen for the APIs' rate limits. */
  concurrency: { batchSize: number; maximumConcurrency: number };
  /**
   * The operator settings (cdk.json keys) this service reads, with their validation and defaults:
   * the stack sets them as environment variables (`settingsEnvironment`) and the handler reads
   * them back with this schema (`settingsFromEnvironment`); nothing else parses them.
   */
  settings: Settings;
  /** What the service reads before planning, per entity type it owns (`lockdown plan` shows it; the registry's test checks the types). */
  observe: Partial<Record<EntityType, string[]>>;
  /** What a stage of its plans means beyond "in parallel, after the stages before" (`lockdown plan` says it). */
  stages?: Readonly<Record<number, string>>;
  /**
   * The member-role statements of every member-account call this service makes beyond the shared
   * ones (`memberRolePolicy`: the calls on IAM principals three services make, and lockdown's deny of
   * itself), here only: each action on the resource types AWS's Service Authorization Reference
   * lists for it (infra tests compare them with the service's code and with iam-data).
   */
  memberStatements?(context: MemberPolicyContext): PolicyStatement[];
  runtime(): ServiceRuntime<S>;
}
