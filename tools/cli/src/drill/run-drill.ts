import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { MemberAccounts } from '@lockdown/aws';
import { SERVICES, ServiceName } from '@lockdown/contracts';
import { createEc2IsolationHandler } from '@lockdown/ec2-isolation';
import { createIamLockdownHandler } from '@lockdown/iam-lockdown';
import { createIntakeHandler } from '@lockdown/intake';
import { createLambdaLockdownHandler } from '@lockdown/lambda-lockdown';
import { SimulatedAws, answerLocally, createMessagingFabric, localMessagingClients } from '@lockdown/sandbox';
import { publishRequests } from '../publisher';
import { Check, containmentChecks, sameState } from './checks';
import { startEmulators } from './emulators';
import { SqsEventSource, snsInvoker } from './event-sources';
import { DrillFixtures, MemberClients, createFixtures, readFunction, readInstance, readPrincipal } from './member-api';

export interface DrillOptions {
  /** Member-account APIs (IAM, STS, Lambda, EC2) at this endpoint instead of the built-in sandbox. */
  endpoint?: string;
  untrackedWindowSeconds: number;
  timeoutSeconds: number;
  progress?: (text: string) => void;
}

export interface AuditEmail {
  at: number;
  subject: string;
  body: string;
}

export interface DrillReport {
  mode: 'sandbox' | 'endpoint';
  memberAccount: string;
  checks: Check[];
  emails: AuditEmail[];
  pollers: Record<string, { batches: number; records: number; failures: number }>;
  durationMs: number;
  passed: boolean;
}

const SECURITY_ACCOUNT = '999999999999';
const SANDBOX_MEMBER_ACCOUNT = '111111111111';
const MEMBER_ROLE = 'lockdown-member';
const MEMBER_EXTERNAL_ID = 'drill-member-external-id';
const EXTERNAL_ID = 'drill-external-id-4f1c';
const REGION = 'us-east-1';
const BATCH: Record<ServiceName | 'intake', number> = { intake: 10, 'iam-lockdown': 10, 'lambda-lockdown': 5, 'ec2-isolation': 5 };
const ENDPOINT_SERVICES = ['IAM', 'STS', 'LAMBDA', 'EC2'];

/**
 * The whole pipeline on one machine: fauxqs (SNS/SQS) and dynalite (DynamoDB) on loopback, the
 * same topics, queues, DLQs and filter policies as the stacks, the unmodified intake and service
 * handlers behind local event sources, and a member account (the sandbox, or any AWS-compatible
 * endpoint). Contains four compromised entities, refuses three bad requests, checks the state
 * independently, releases everything and checks the original state is back.
 */
export async function runDrill(options: DrillOptions): Promise<DrillReport> {
  const started = Date.now();
  const say = options.progress ?? (() => undefined);
  const restoreEnv = { ...process.env };
  const sandbox = options.endpoint ? undefined : new SimulatedAws();
  const uninstall = sandbox?.install();
  if (sandbox) sandbox.homeAccountId = SECURITY_ACCOUNT;
  if (options.endpoint) for (const service of ENDPOINT_SERVICES) process.env[`AWS_ENDPOINT_URL_${service}`] = options.endpoint;
  process.env.AWS_REGION ??= REGION;
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  if (!process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE) Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'drill', AWS_SECRET_ACCESS_KEY: 'drill' });

  say('starting fauxqs (SNS/SQS) and dynalite (DynamoDB) on 127.0.0.1');
  const emulators = await startEmulators();
  const pollers: Array<[string, SqsEventSource]> = [];
  try {
    const { sns, sqs } = localMessagingClients(emulators.fauxqsEndpoint);
    const prefix = `drill-${Date.now().toString(36)}`;
    const fabric = await createMessagingFabric({ sns, sqs, prefix, maxReceiveCount: 5, visibilityTimeoutSeconds: 3 });

    // The member account: its role (deployed by the member stack in real life), then fixtures through the API.
    const memberAccount = sandbox ? SANDBOX_MEMBER_ACCOUNT : ((await new STSClient({}).send(new GetCallerIdentityCommand({}))).Account ?? '123456789012');
    if (sandbox) sandbox.seedMemberRole(memberAccount, MEMBER_ROLE, MEMBER_EXTERNAL_ID, SERVICES.map((s) => `arn:aws:iam::${SECURITY_ACCOUNT}:role/lockdown-${s}`));
    else await bootstrapMemberRole(memberAccount);
    const access = new MemberAccounts({ roleName: MEMBER_ROLE, externalId: MEMBER_EXTERNAL_ID, service: 'drill' });
    const target = { partition: 'aws' as const, accountId: memberAccount, region: REGION, requestId: prefix };
    const member: MemberClients = { iam: access.iam(target), lambda: access.lambda(target), ec2: access.ec2(target) };
    say(`creating the compromised entities in member account ${memberAccount}${options.endpoint ? ` at ${options.endpoint}` : ' (sandbox)'}`);
    const fx = await createFixtures(member, memberAccount, REGION, prefix.slice(-6));
    const before = await snapshot(member, fx);

    // The unmodified handlers, wired to the local services.
    const tables = Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await emulators.dynamo.createLedgerTable(`${prefix}-${s}-ledger`)] as const)));
    const common = { AUDIT_TOPIC_ARN: fabric.auditTopicArn, MEMBER_ROLE_NAME: MEMBER_ROLE, MEMBER_EXTERNAL_ID, MAX_RECEIVE_COUNT: '5' };
    const secrets = answerLocally(new SecretsManagerClient({ region: REGION }), () => ({ SecretString: EXTERNAL_ID }));
    const intake = createIntakeHandler(
      {
        ...process.env,
        EXTERNAL_ID_SECRET_ARN: `arn:aws:secretsmanager:${REGION}:${SECURITY_ACCOUNT}:secret:lockdown-external-id`,
        DISPATCH_TOPIC_ARN: fabric.dispatchTopicArn,
        AUDIT_TOPIC_ARN: fabric.auditTopicArn,
        ONBOARDED_ACCOUNTS: memberAccount,
        PROTECTED_PRINCIPALS: `arn:aws:iam::*:role/BreakGlass`,
        MEMBER_ROLE_NAME: MEMBER_ROLE,
      },
      { sns, secrets },
    );
    const services = {
      'iam-lockdown': createIamLockdownHandler({ ...process.env, ...common, LEDGER_TABLE_NAME: tables['iam-lockdown']! }, { sns, dynamodb: emulators.dynamo.client }),
      'lambda-lockdown': createLambdaLockdownHandler({ ...process.env, ...common, LEDGER_TABLE_NAME: tables['lambda-lockdown']! }, { sns, dynamodb: emulators.dynamo.client }),
      'ec2-isolation': createEc2IsolationHandler(
        { ...process.env, ...common, LEDGER_TABLE_NAME: tables['ec2-isolation']!, QUEUE_URL: fabric.queues['ec2-isolation'].url, UNTRACKED_WINDOW_SECONDS: String(options.untrackedWindowSeconds) },
        { sns, sqs, dynamodb: emulators.dynamo.client },
      ),
    };
    const ingressQueue = await subscribeIngress(sns, sqs, fabric.ingressTopicArn, prefix);
    pollers.push(['intake', new SqsEventSource(sqs, ingressQueue, snsInvoker(intake), BATCH.intake)]);
    for (const service of SERVICES) pollers.push([service, new SqsEventSource(sqs, fabric.queues[service], services[service], BATCH[service])]);
    pollers.forEach(([, poller]) => poller.start());

    const mailbox = new Mailbox(sqs, fabric.auditQueueUrl, started);
    const good = [fx.user.arn, fx.role.arn, fx.compromisedFunction.arn, fx.instance.arn];
    say('publishing 4 containment requests and 3 bad ones through the `lockdown contain` publisher');
    const publish = (arns: string[], externalId: string, action: 'contain' | 'release') =>
      publishRequests(sns, fabric.ingressTopicArn, externalId, arns, { action, reason: 'drill', ticket: 'DRILL-1', requestedBy: 'lockdown drill' });
    await publish(good, EXTERNAL_ID, 'contain');
    await publish([`arn:aws:iam::${memberAccount}:user/${fx.user.name}`], 'wrong-external-id', 'contain');
    await publish(['arn:aws:s3:::drill-bucket', `arn:aws:iam::${memberAccount}:role/${MEMBER_ROLE}`], EXTERNAL_ID, 'contain');

    const deadline = () => started + options.timeoutSeconds * 1000;
    await mailbox.waitFor((emails) => count(emails, 'CONTAINED') >= 4 && count(emails, 'REJECTED') >= 3, deadline(), say);
    say('contained: checking every entity independently of the services');
    const contained = await snapshot(member, fx);
    const checks: Check[] = [...containmentChecks(fx, contained), ...rejectionChecks(mailbox.emails)];

    say('releasing the four entities');
    await publish(good, EXTERNAL_ID, 'release');
    await mailbox.waitFor((emails) => count(emails, 'RELEASED') >= 4, deadline(), say);
    const after = await snapshot(member, fx);
    checks.push(...sameState(before, after));
    checks.push(await noDeadLetters(sqs, fabric.queues));
    const passed = checks.every((c) => c.ok);
    return {
      mode: sandbox ? 'sandbox' : 'endpoint',
      memberAccount,
      checks,
      emails: mailbox.emails,
      pollers: Object.fromEntries(pollers.map(([name, p]) => [name, { ...p.stats }])),
      durationMs: Date.now() - started,
      passed,
    };
  } finally {
    await Promise.all(pollers.map(([, p]) => p.stop()));
    await emulators.stop();
    uninstall?.();
    for (const key of Object.keys(process.env)) if (!(key in restoreEnv)) delete process.env[key];
    Object.assign(process.env, restoreEnv);
  }
}

export type Snapshot = Awaited<ReturnType<typeof snapshot>>;

async function snapshot(c: MemberClients, fx: DrillFixtures) {
  const [user, role, compromised, healthy, sharedRole, instance, profileRole] = await Promise.all([
    readPrincipal(c.iam, 'user', fx.user.name),
    readPrincipal(c.iam, 'role', fx.role.name),
    readFunction(c.lambda, fx.compromisedFunction.name),
    readFunction(c.lambda, fx.healthyFunction.name),
    readPrincipal(c.iam, 'role', fx.sharedRole),
    readInstance(c.ec2, fx.instance.id),
    readPrincipal(c.iam, 'role', fx.instance.profileRole),
  ]);
  const { groups: _groups, ...instanceState } = instance;
  return { user, role, compromised, healthy, sharedRole, instance: instanceState, instanceGroups: instance.groups, profileRole };
}

/** The member role an emulator needs (the member stack creates it in real accounts). */
async function bootstrapMemberRole(accountId: string): Promise<void> {
  const trust = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': MEMBER_EXTERNAL_ID } } }],
  };
  await new IAMClient({ region: REGION })
    .send(new CreateRoleCommand({ RoleName: MEMBER_ROLE, AssumeRolePolicyDocument: JSON.stringify(trust) }))
    .catch((error: Error) => {
      if (error.name !== 'EntityAlreadyExists') throw error;
    });
}

/** The intake is SNS-triggered: a queue subscribed to the ingress topic stands in for Lambda's invocation queue. */
async function subscribeIngress(sns: SNSClient, sqs: SQSClient, topicArn: string, prefix: string) {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-intake-invocations`, Attributes: { VisibilityTimeout: '3' } }))).QueueUrl!;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!['QueueArn']!;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: arn }));
  return { url, arn };
}

const count = (emails: AuditEmail[], kind: string) => emails.filter((e) => e.subject.startsWith(`[lockdown] ${kind} `)).length;

/** The audit topic's subscriber: every email lockdown would have sent. */
class Mailbox {
  readonly emails: AuditEmail[] = [];
  constructor(
    private readonly sqs: SQSClient,
    private readonly url: string,
    private readonly started: number,
  ) {}

  async waitFor(done: (emails: AuditEmail[]) => boolean, deadline: number, say: (text: string) => void): Promise<void> {
    while (!done(this.emails)) {
      if (Date.now() > deadline) throw new Error(`the pipeline did not finish in time; emails so far:\n${this.emails.map((e) => `  ${e.subject}`).join('\n')}`);
      const { Messages = [] } = await this.sqs.send(new ReceiveMessageCommand({ QueueUrl: this.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const m of Messages) {
        const envelope = JSON.parse(m.Body ?? '{}') as { Subject?: string; Message?: string };
        this.emails.push({ at: Date.now() - this.started, subject: envelope.Subject ?? '', body: envelope.Message ?? '' });
        say(`  ${((Date.now() - this.started) / 1000).toFixed(1).padStart(5)} s  ${envelope.Subject}`);
      }
      if (Messages.length > 0)
        await this.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: this.url, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
  }
}

function rejectionChecks(emails: AuditEmail[]): Check[] {
  const rejected = emails.filter((e) => e.subject.startsWith('[lockdown] REJECTED'));
  const has = (code: string) => rejected.some((e) => e.body.includes(`Reason code: ${code}`));
  return [
    { name: 'wrong ExternalId rejected', ok: has('unauthenticated'), detail: 'audit reason code unauthenticated' },
    { name: 'unsupported ARN (S3 bucket) rejected', ok: has('invalid-arn'), detail: 'audit reason code invalid-arn' },
    { name: 'protected principal (the member role) rejected', ok: has('protected-principal'), detail: 'audit reason code protected-principal' },
  ];
}

async function noDeadLetters(sqs: SQSClient, queues: Record<ServiceName, { dlqUrl: string }>): Promise<Check> {
  const depths = await Promise.all(
    SERVICES.map(async (s) => Number((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queues[s].dlqUrl, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes?.['ApproximateNumberOfMessages'] ?? 0)),
  );
  const total = depths.reduce((a, b) => a + b, 0);
  return { name: 'no message in any dead-letter queue', ok: total === 0, detail: `${total} message(s)` };
}
