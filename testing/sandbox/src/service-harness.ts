import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DispatchMessage } from '@lockdown/contracts';
import { mockClient } from 'aws-sdk-client-mock';
import { setTimeout as delay } from 'node:timers/promises';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { SimulatedAws } from './aws';
import { LocalDynamo, startDynalite } from './dynalite';
import { answerLocally } from './local-answer';
import { MEMBER_ACCOUNT } from './member-account';
import { lambdaContext, sqsEvent, sqsRecord } from './messages';

type SqsHandler = (event: SQSEvent, context: typeof lambdaContext) => Promise<SQSBatchResponse>;

export const MEMBER_ROLE = 'lockdown-member';
export const MEMBER_EXTERNAL_ID = 'member-external-id-test';

export interface AuditRecord {
  subject: string;
  body: string;
  kind: string;
  requestId: string;
}

/**
 * Everything a containment service's tests need: the simulated member account (installed on
 * the SDK clients), a dynalite ledger table, and the audit topic captured in memory.
 */
export class ServiceHarness {
  readonly sim = new SimulatedAws();
  readonly audits: AuditRecord[] = [];
  dynamo!: LocalDynamo;
  /**
   * Latency added to every AWS call the services make (member APIs, the ledger, the audit topic),
   * to count sequential round trips from wall time. AssumeRole stays instant (a cached session).
   */
  latencyMs = 0;
  private uninstall?: () => void;
  private readonly sns = mockClient(SNSClient);
  private tables = 0;

  /**
   * `memberPolicy`: the member role's policy when a service needs statements beyond the shared ones;
   * `memberRoleName`: the role's name when the service has a member role of its own (identity-center-lockdown's).
   */
  constructor(private readonly options: { memberPolicy?: Parameters<SimulatedAws['seedMemberRole']>[4]; memberRoleName?: string } = {}) {}

  async start(): Promise<this> {
    this.uninstall = this.sim.install();
    this.sim.latencyMs = (service) => (service === 'sts' ? 0 : this.latencyMs);
    this.dynamo = await startDynalite();
    this.dynamo.client.middlewareStack.add(
      (next) => async (args) => {
        if (this.latencyMs > 0) await delay(this.latencyMs);
        return next(args);
      },
      { step: 'finalizeRequest', name: 'harnessLatency' },
    );
    this.sns
      .on(PublishCommand)
      .callsFake(async (input: { Subject: string; Message: string; MessageAttributes: Record<string, { StringValue: string }> }) => {
        if (this.latencyMs > 0) await delay(this.latencyMs);
        this.audits.push({
          subject: input.Subject,
          body: input.Message,
          kind: input.MessageAttributes['kind']!.StringValue,
          requestId: input.MessageAttributes['requestId']!.StringValue,
        });
        return { MessageId: `audit-${this.audits.length}` };
      });
    return this;
  }

  async stop(): Promise<void> {
    this.uninstall?.();
    this.sns.restore();
    await this.dynamo.stop();
  }

  /** A fresh member account with the member role, and a fresh ledger table; returns the service env. */
  async reset(extraEnv: Record<string, string> = {}): Promise<NodeJS.ProcessEnv> {
    this.sim.accounts.clear();
    this.sim.s3Buckets.clear();
    this.sim.identityCenters.clear();
    this.sim.sessions.clear();
    this.sim.calls.length = 0;
    this.sim.clearFaults();
    this.audits.length = 0;
    this.latencyMs = 0;
    const memberRole = this.options.memberRoleName ?? MEMBER_ROLE;
    this.sim.seedMemberRole(MEMBER_ACCOUNT, memberRole, MEMBER_EXTERNAL_ID, undefined, this.options.memberPolicy);
    const table = await this.dynamo.createLedgerTable(`ledger-${++this.tables}`);
    return {
      AUDIT_TOPIC_ARN: 'arn:aws:sns:us-east-1:999999999999:lockdown-audit',
      LEDGER_TABLE_NAME: table,
      MEMBER_ROLE_NAME: memberRole,
      MEMBER_EXTERNAL_ID: MEMBER_EXTERNAL_ID,
      ONBOARDED_ACCOUNTS: MEMBER_ACCOUNT,
      SECURITY_ACCOUNT_ID: this.sim.homeAccountId,
      MAX_RECEIVE_COUNT: '5',
      AWS_MAX_ATTEMPTS: '1',
      // The persistence sweep has its own tests (libs/aws/src/sweep, the adversarial drill): these are the containment's.
      SWEEP: 'off',
      ...extraEnv,
    };
  }

  invoke(handler: SqsHandler, event: SQSEvent) {
    return handler(event, lambdaContext);
  }

  /**
   * A service's handler with its tamper watch on: the ticks it schedules (delayed messages to its
   * own queue) are captured in `sent`, and `due` makes one as SQS delivers it once its delay is over.
   */
  watched(
    create: (env: NodeJS.ProcessEnv, clients: { dynamodb: DynamoDBClient; sqs: SQSClient }) => SqsHandler,
    env: NodeJS.ProcessEnv,
    schedule = '5,30',
  ) {
    const sent: Array<{ message: DispatchMessage; delay: number }> = [];
    const sqs = answerLocally(new SQSClient({ region: 'us-east-1' }), (_operation, input) => {
      sent.push({ message: JSON.parse(input.MessageBody), delay: input.DelaySeconds });
      return { MessageId: `sent-${sent.length}`, MD5OfMessageBody: createHash('md5').update(input.MessageBody).digest('hex') };
    });
    const handler = create(
      { ...env, QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/999999999999/lockdown-service', WATCH_SCHEDULE: schedule },
      { dynamodb: this.dynamo.client, sqs },
    );
    return {
      sent,
      deliver: (message: DispatchMessage) => this.invoke(handler, sqsEvent(sqsRecord(message))),
      /** The n-th tick of the watch (from 0), as it arrives when due. */
      tick: (n = 0): DispatchMessage => {
        const ticks = sent.filter((s) => s.message.watch);
        const message = ticks[n]?.message;
        if (!message) throw new Error(`the watch scheduled ${ticks.length} tick(s), not ${n + 1}`);
        return { ...message, watch: { ...message.watch!, dueAt: new Date().toISOString() } };
      },
    };
  }
}
