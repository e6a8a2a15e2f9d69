import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import {
  Action,
  Authority,
  DispatchMessageSchema,
  OUTCOME_EVENT_BUS,
  SERVICES,
  authorityFor,
  ledgerTableName,
  memberRoleNameOf,
  messageGroupOf,
  settingsEnvironment,
} from '@lockdown/contracts';
import { OcsfProduct, TRIGGER_PATTERNS, customActionArn } from '@lockdown/findings';
import { createTriggersHandler } from '@lockdown/triggers';
import { createIntakeHandler } from '@lockdown/intake';
import { SERVICE_DESCRIPTORS } from '@lockdown/services';
import { LocalEventBus, MessagingFabric, answerLocally, createMessagingFabric, localMessagingClients } from '@lockdown/sandbox';
import { PublishResult, PublishTarget, publishRequests } from '@lockdown/publishing';
import { Emulators, startEmulators } from './emulators';
import { PollerStats, SqsEventSource, snsInvoker } from './event-sources';

export interface PipelineOptions {
  securityAccount: string;
  memberAccount: string;
  memberRole: string;
  memberExternalId: string;
  /** The ExternalId requests must carry (the intake's secret). */
  externalId: string;
  /** Operator settings, as in cdk.json (each service reads its own; the rest keep their defaults). */
  settings?: Record<string, unknown>;
  visibilityTimeoutSeconds?: number;
  maxReceiveCount?: number;
  /** SDK attempts per call in the services (AWS_MAX_ATTEMPTS). */
  maxAttempts?: number;
  region: string;
  /** The persistence sweep's policy (SWEEP_POLICY, e.g. `new-principal=contain`); default: report everything. */
  sweepPolicy?: string;
  /** The regions the sweep reads (SWEEP_REGIONS); default: every region enabled for the account. */
  sweepRegions?: string[];
  /** The persistence sweep after each containment (default on; the organization bench measures containment alone). */
  sweep?: boolean;
  /** More onboarded member accounts, beside `memberAccount` (the organization-scale bench). */
  moreMemberAccounts?: string[];
  /** The services' queues deliver as SQS fair queues, grouped by account (default), or oldest first. */
  fair?: boolean;
}

/** The drill's break-glass role: lockdown's protected principal in every drill account. */
export const DRILL_BREAK_GLASS_ROLE = 'BreakGlass';
const DRILL_PROTECTED = `arn:aws:iam::*:role/${DRILL_BREAK_GLASS_ROLE}`;

/**
 * A note lockdown's triggers wrote on a Security Hub finding, answered locally: BatchUpdateFindings
 * (ASFF: ids, note, workflow) or the new Security Hub's BatchUpdateFindingsV2 (OCSF: metadata uids,
 * comment, status id).
 */
export interface FindingNoteCall {
  api: 'BatchUpdateFindings' | 'BatchUpdateFindingsV2';
  ids: string[];
  text: string;
  workflow?: string;
}

export interface AuditEmail {
  at: number;
  subject: string;
  body: string;
}

/**
 * A dispatch message's tenant: the MessageGroupId SNS forwards from the dispatch publish (fauxqs
 * drops it on standard queues), read back from the message, its account (`messageGroupOf`).
 */
function dispatchTenant(message: Message): string | undefined {
  const forwarded = message.Attributes?.['MessageGroupId'];
  if (forwarded) return forwarded;
  try {
    return messageGroupOf(DispatchMessageSchema.parse(JSON.parse(message.Body ?? '')));
  } catch {
    return undefined;
  }
}

/** The intake's event source: SNS invokes it; batch and concurrency as a busy Lambda would see. */
const INTAKE = { batchSize: 10, maximumConcurrency: 4, retrySeconds: 20 };

/**
 * The whole lockdown pipeline on loopback: fauxqs (SNS/SQS) and dynalite (DynamoDB), the same
 * topics, queues, DLQs and filter policies as the stacks (built from the routing table), the
 * unmodified intake and service handlers, and local event sources that behave like Lambda's.
 * The member-account APIs are whatever the SDK reaches: the sandbox when installed, or the
 * endpoint in AWS_ENDPOINT_URL_<SERVICE>.
 */
export class LocalPipeline {
  readonly emails: AuditEmail[] = [];
  /** EventBridge's default bus (GuardDuty and Security Hub events) and lockdown's outcome bus, with the triggers stack's rules. */
  readonly defaultBus = new LocalEventBus();
  readonly outcomeBus = new LocalEventBus();
  readonly findingNotes: FindingNoteCall[] = [];
  /** Invocations of a rule's target that failed (EventBridge would retry them, then dead-letter them). */
  readonly failedDeliveries: string[] = [];
  private readonly deliveries = new Set<Promise<unknown>>();
  private readonly pollers: Array<[string, SqsEventSource]> = [];
  private readonly started = Date.now();

  private constructor(
    readonly emulators: Emulators,
    readonly sns: SNSClient,
    readonly sqs: SQSClient,
    readonly fabric: MessagingFabric,
  ) {}

  static async start(options: PipelineOptions): Promise<LocalPipeline> {
    const emulators = await startEmulators();
    try {
      const { sns, sqs } = localMessagingClients(emulators.fauxqsEndpoint);
      const prefix = `lockdown-${Date.now().toString(36)}`;
      const fabric = await createMessagingFabric({
        sns,
        sqs,
        prefix,
        maxReceiveCount: options.maxReceiveCount ?? 5,
        visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 3,
      });
      const pipeline = new LocalPipeline(emulators, sns, sqs, fabric);
      await pipeline.wire(options, prefix);
      return pipeline;
    } catch (error) {
      await emulators.stop();
      throw error;
    }
  }

  private async wire(options: PipelineOptions, prefix: string): Promise<void> {
    const { sns, sqs, fabric, emulators } = this;
    const onboarded = [options.memberAccount, ...(options.moreMemberAccounts ?? [])].join(',');
    const visibilityTimeoutSeconds = options.visibilityTimeoutSeconds ?? 3;
    const tables = Object.fromEntries(
      await Promise.all(SERVICES.map(async (s) => [s, await emulators.dynamo.createLedgerTable(ledgerTableName(s))] as const)),
    );
    const common = {
      ...process.env,
      AUDIT_TOPIC_ARN: fabric.auditTopicArn,
      MEMBER_ROLE_NAME: options.memberRole,
      MEMBER_EXTERNAL_ID: options.memberExternalId,
      ONBOARDED_ACCOUNTS: onboarded,
      PROTECTED_PRINCIPALS: DRILL_PROTECTED,
      SECURITY_ACCOUNT_ID: options.securityAccount,
      MAX_RECEIVE_COUNT: String(options.maxReceiveCount ?? 5),
      AWS_MAX_ATTEMPTS: String(options.maxAttempts ?? 3),
      EVENT_BUS_NAME: OUTCOME_EVENT_BUS,
    };
    const secrets = answerLocally(new SecretsManagerClient({ region: options.region }), () => ({ SecretString: options.externalId }));
    const events = this.localEvents(options);
    const intake = createIntakeHandler(
      {
        ...process.env,
        EXTERNAL_ID_SECRET_ARN: `arn:aws:secretsmanager:${options.region}:${options.securityAccount}:secret:lockdown-external-id`,
        INGRESS_TOPIC_ARN: fabric.ingressTopicArn,
        RELEASE_TOPIC_ARN: fabric.releaseTopicArn,
        DISPATCH_TOPIC_ARN: fabric.dispatchTopicArn,
        AUDIT_TOPIC_ARN: fabric.auditTopicArn,
        ONBOARDED_ACCOUNTS: onboarded,
        PROTECTED_PRINCIPALS: DRILL_PROTECTED,
        SECURITY_ACCOUNT_ID: options.securityAccount,
        MEMBER_ROLE_NAME: options.memberRole,
        EVENT_BUS_NAME: OUTCOME_EVENT_BUS,
      },
      { sns, secrets, events },
    );
    const dynamodb = emulators.dynamo.client;
    // Each service as its stack configures it: its descriptor's environment and event-source settings,
    // one container (handler) per concurrent invocation, its queue a fair queue grouped by account.
    const services = SERVICE_DESCRIPTORS.map((d) => {
      const queue = fabric.queues[d.name];
      const { batchSize, maximumConcurrency } = d.concurrency;
      const env = {
        ...common,
        LEDGER_TABLE_NAME: tables[d.name]!,
        // Its member role as the stack sets it: its own where it has one (identity-center-lockdown).
        MEMBER_ROLE_NAME: memberRoleNameOf(options.memberRole, d.name),
        QUEUE_URL: queue.url,
        MAXIMUM_CONCURRENCY: String(maximumConcurrency),
        WATCH_SCHEDULE: ((options.settings?.['watchSchedule'] as number[] | undefined) ?? []).join(','),
        ...settingsEnvironment(d, options.settings ?? {}),
        // The sweep's derived containments go to the ingress topic like any request.
        ...(options.sweep === false ? { SWEEP: 'off' } : {}),
        ...(options.sweepRegions ? { SWEEP_REGIONS: options.sweepRegions.join(',') } : {}),
        ...(options.sweepPolicy
          ? {
              SWEEP_POLICY: options.sweepPolicy,
              INGRESS_TOPIC_ARN: fabric.ingressTopicArn,
              EXTERNAL_ID_SECRET_ARN: `arn:aws:secretsmanager:${options.region}:${options.securityAccount}:secret:lockdown-external-id`,
            }
          : {}),
      };
      const handlers = Array.from({ length: maximumConcurrency }, () =>
        d.runtime().createHandler(env, { sns, sqs, dynamodb, events, secrets }),
      );
      return new SqsEventSource(sqs, queue, handlers, {
        batchSize,
        visibilityTimeoutSeconds,
        fair: options.fair ?? true,
        tenantOf: dispatchTenant,
      });
    });
    // The intake is SNS-triggered: a queue subscribed to the ingress and release topics stands in for Lambda's invocation queue
    // (SNS invokes asynchronously: nothing times out under load; a failed invocation is retried after a while).
    const url = (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: `${prefix}-intake-invocations`,
          Attributes: { VisibilityTimeout: String(INTAKE.retrySeconds) },
        }),
      )
    ).QueueUrl!;
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!['QueueArn']!;
    for (const topic of [fabric.ingressTopicArn, fabric.releaseTopicArn])
      await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: arn }));
    this.pollers.push([
      'intake',
      new SqsEventSource(sqs, { url, arn }, Array(INTAKE.maximumConcurrency).fill(snsInvoker(intake)), {
        batchSize: INTAKE.batchSize,
        visibilityTimeoutSeconds: INTAKE.retrySeconds,
        fair: false,
      }),
    ]);
    SERVICE_DESCRIPTORS.forEach((d, i) => this.pollers.push([d.name, services[i]!]));
    this.wireTriggers(options, { sns, secrets, events });
    this.pollers.forEach(([, poller]) => poller.start());
  }

  /**
   * The triggers, as their stack deploys them: their rules, one function (publishing to the ingress
   * topic like any publisher, and releases to the release topic when the Security Hub release action is on).
   */
  private wireTriggers(options: PipelineOptions, clients: { sns: SNSClient; secrets: SecretsManagerClient; events: EventBridgeClient }) {
    const settings = options.settings?.['triggers'] as { securityHubRelease?: boolean; securityHubV2?: OcsfProduct[] } | undefined;
    const releaseAction = settings?.securityHubRelease === true;
    const ocsf = settings?.securityHubV2 ?? [];
    const triggers = createTriggersHandler(
      {
        ...process.env,
        INGRESS_TOPIC_ARN: this.fabric.ingressTopicArn,
        ...(releaseAction ? { RELEASE_TOPIC_ARN: this.fabric.releaseTopicArn } : {}),
        EXTERNAL_ID_SECRET_ARN: `arn:aws:secretsmanager:${options.region}:${options.securityAccount}:secret:lockdown-external-id`,
        AUDIT_TOPIC_ARN: this.fabric.auditTopicArn,
        EVENT_BUS_NAME: OUTCOME_EVENT_BUS,
        ...(options.settings?.['triggers']
          ? { GUARDDUTY_POLICY: JSON.stringify((options.settings['triggers'] as { guardDuty?: unknown }).guardDuty ?? {}) }
          : {}),
        ...(ocsf.length > 0 ? { OCSF_PRODUCTS: ocsf.join(',') } : {}),
      },
      {
        ...clients,
        securityHub: (region) =>
          answerLocally(new SecurityHubClient({ region }), (operation, input) => {
            if (operation === 'BatchUpdateFindingsV2') {
              this.findingNotes.push({
                api: operation,
                ids: input.MetadataUids,
                text: input.Comment ?? '',
                ...(input.StatusId !== undefined ? { workflow: `status ${input.StatusId}` } : {}),
              });
              return { ProcessedFindings: input.MetadataUids.map((uid: string) => ({ MetadataUid: uid })), UnprocessedFindings: [] };
            }
            if (operation !== 'BatchUpdateFindings')
              throw new Error(`the drill's Security Hub answers BatchUpdateFindings and BatchUpdateFindingsV2 only, not ${operation}`);
            this.findingNotes.push({
              api: operation,
              ids: input.FindingIdentifiers.map((f: { Id: string }) => f.Id),
              text: input.Note?.Text ?? '',
              ...(input.Workflow?.Status ? { workflow: input.Workflow.Status } : {}),
            });
            return { ProcessedFindings: input.FindingIdentifiers, UnprocessedFindings: [] };
          }),
      },
    );
    const target = (event: unknown) => triggers(event as Parameters<typeof triggers>[0]);
    const actions = (releaseAction ? (['contain', 'release'] as const) : (['contain'] as const)).map((a) =>
      customActionArn('aws', options.region, options.securityAccount, a),
    );
    // As the stack deploys them: GuardDuty's native rule unless its findings are read from the new Security Hub.
    if (!ocsf.includes('guardduty')) this.defaultBus.addRule('lockdown-guardduty-findings', TRIGGER_PATTERNS.guardDuty, target);
    if (ocsf.length > 0) this.defaultBus.addRule('lockdown-security-hub-v2', TRIGGER_PATTERNS.securityHubV2(ocsf), target);
    this.defaultBus.addRule('lockdown-securityhub-actions', TRIGGER_PATTERNS.customActions(actions), target);
    this.outcomeBus.addRule('lockdown-outcomes-to-findings', TRIGGER_PATTERNS.outcomes, target);
  }

  /** An EventBridge client whose PutEvents lands on the local outcome bus; delivery is asynchronous, as EventBridge's. */
  private localEvents(options: PipelineOptions): EventBridgeClient {
    return answerLocally(new EventBridgeClient({ region: options.region }), (operation, input) => {
      if (operation !== 'PutEvents') throw new Error(`the drill's EventBridge answers PutEvents only, not ${operation}`);
      const entries = input.Entries as Array<{ Source: string; DetailType: string; Resources?: string[]; Detail: string }>;
      for (const entry of entries)
        this.deliver(this.outcomeBus, {
          version: '0',
          id: randomUUID(),
          'detail-type': entry.DetailType,
          source: entry.Source,
          account: options.securityAccount,
          time: new Date().toISOString(),
          region: options.region,
          resources: entry.Resources ?? [],
          detail: JSON.parse(entry.Detail),
        });
      return { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: randomUUID() })) };
    });
  }

  private deliver(bus: LocalEventBus, event: { id: string; [field: string]: unknown }): void {
    const delivery = bus
      .put(event)
      .catch((error: unknown) => void this.failedDeliveries.push(`${event.id}: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => this.deliveries.delete(delivery));
    this.deliveries.add(delivery);
  }

  /** Waits until every event put on the buses has been delivered to its rules' targets. */
  async settle(): Promise<void> {
    while (this.deliveries.size > 0) await Promise.all(this.deliveries);
  }

  /** Puts a GuardDuty or Security Hub event on the default bus and waits for the rules' targets; returns the rules it matched. */
  async putFindingEvent(event: { id: string }): Promise<string[]> {
    try {
      return await this.defaultBus.put(event);
    } catch (error) {
      this.failedDeliveries.push(`${event.id}: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }

  /** Publishes as a responder would: to the topic of the action's authority, unless told to go through another one. */
  publish(
    targets: PublishTarget[],
    externalId: string,
    action: Action,
    progress?: (done: number, total: number) => void,
    through: Authority = authorityFor(action),
  ): Promise<PublishResult[]> {
    const topics: Record<Authority, string> = { ingress: this.fabric.ingressTopicArn, release: this.fabric.releaseTopicArn };
    return publishRequests(
      this.sns,
      topics[through],
      externalId,
      targets,
      { action, reason: 'drill', ticket: 'DRILL-1', requestedBy: 'lockdown drill' },
      progress,
    );
  }

  /** Reads the audit mailbox until `done` says so, or fails at the deadline. */
  async waitFor(
    done: (emails: AuditEmail[]) => boolean,
    deadline: number,
    onEmail: (email: AuditEmail) => void = () => undefined,
  ): Promise<void> {
    while (!done(this.emails)) {
      if (Date.now() > deadline) {
        const failures = this.emails
          .filter((e) => e.subject.startsWith('[lockdown] FAILED'))
          .map((e) => `\n${e.subject}\n${e.body.replace(/^/gm, '    ')}`);
        throw new Error(
          `the pipeline did not finish in time; emails so far:\n${this.emails.map((e) => `  ${e.subject}`).join('\n')}${failures.join('')}`,
        );
      }
      const { Messages = [] } = await this.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: this.fabric.auditQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      for (const m of Messages) {
        const envelope = JSON.parse(m.Body ?? '{}') as { Subject?: string; Message?: string };
        const email = { at: Date.now() - this.started, subject: envelope.Subject ?? '', body: envelope.Message ?? '' };
        this.emails.push(email);
        onEmail(email);
      }
      if (Messages.length > 0)
        await this.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.fabric.auditQueueUrl,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
    }
  }

  async deadLetters(): Promise<number> {
    const depths = await Promise.all(
      SERVICES.map(async (s) =>
        Number(
          (
            await this.sqs.send(
              new GetQueueAttributesCommand({
                QueueUrl: this.fabric.queues[s].dlqUrl,
                AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
              }),
            )
          ).Attributes?.['ApproximateNumberOfMessages'] ?? 0,
        ),
      ),
    );
    return depths.reduce((a, b) => a + b, 0);
  }

  pollerStats(): Record<string, PollerStats> {
    return Object.fromEntries(this.pollers.map(([name, p]) => [name, { ...p.stats }]));
  }

  async stop(): Promise<void> {
    await Promise.all(this.pollers.map(([, p]) => p.stop()));
    await Promise.all(this.deliveries);
    await this.emulators.stop();
  }
}

export const countEmails = (emails: AuditEmail[], kind: string) => emails.filter((e) => e.subject.startsWith(`[lockdown] ${kind} `)).length;

/**
 * How many distinct entities have an email of one of these kinds: a service may send one twice (a
 * redelivery, a watch tick).
 */
export const countEntities = (emails: AuditEmail[], ...kinds: string[]) =>
  new Set(
    emails
      .map((e) => /^\[lockdown\] (\S+) (.*)$/.exec(e.subject))
      .filter((m) => m !== null && kinds.includes(m[1]!))
      .map((m) => m![2]),
  ).size;

/**
 * Whether every one of these entities has an email of this kind: counting emails is not enough, since
 * one entity may send several (a redelivery, a second request for it) while another has sent none yet.
 */
export const everyEntityHas = (emails: AuditEmail[], kind: string, arns: readonly string[]) =>
  arns.every((arn) =>
    emails.some(
      (e) =>
        e.subject.startsWith(`[lockdown] ${kind} `) && e.body.split('\n').some((l) => /^ARN:\s/.test(l) && l.trim().endsWith(` ${arn}`)),
    ),
  );
