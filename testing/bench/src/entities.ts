import { createHash } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { DispatchMessage } from '@lockdown/contracts';
import { createEc2IsolationHandler } from '@lockdown/ec2-isolation';
import { createIamLockdownHandler } from '@lockdown/iam-lockdown';
import { createLambdaLockdownHandler } from '@lockdown/lambda-lockdown';
import {
  Ec2Fixtures,
  MEMBER_ACCOUNT,
  ServiceHarness,
  answerLocally,
  dispatchMessage,
  lambdaContext,
  sqsEvent,
  sqsRecord,
} from '@lockdown/sandbox';

export interface EntityFigures {
  apiCalls: Record<string, number>;
  roundTripsToFirstEffect: number;
  roundTripsToFull: number;
  /** Sequential round trips of the whole invocation(s): observe, plan, execute, verify, ledger, audit. */
  roundTripsHandler: number;
  handlerMs: number;
  /** EC2: the invocations' time with the injected latency (a realistic in-region 25 ms per call). */
  handlerMsAtLatency: number;
}

type Handler = (event: SQSEvent, context: typeof lambdaContext) => Promise<SQSBatchResponse>;
interface Scenario {
  type: string;
  seed(h: ServiceHarness): string;
  handler(h: ServiceHarness, env: NodeJS.ProcessEnv, followUps: DispatchMessage[]): Handler;
  firstEffect: string[];
}

const REGION = 'eu-west-1';
const iam = (h: ServiceHarness, op: string, input: object) => h.sim.seed(MEMBER_ACCOUNT, 'iam', op, input);

const SCENARIOS: Scenario[] = [
  {
    type: 'iam-user',
    seed: (h) => {
      iam(h, 'CreateUser', { UserName: 'alice', Path: '/' });
      iam(h, 'AttachUserPolicy', { UserName: 'alice', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
      iam(h, 'CreateAccessKey', { UserName: 'alice' });
      const { AccessKey } = iam(h, 'CreateAccessKey', { UserName: 'alice' });
      iam(h, 'UpdateAccessKey', { UserName: 'alice', AccessKeyId: AccessKey.AccessKeyId, Status: 'Inactive' });
      return `arn:aws:iam::${MEMBER_ACCOUNT}:user/alice`;
    },
    handler: (h, env) => createIamLockdownHandler(env, { dynamodb: h.dynamo.client }),
    firstEffect: ['PutUserPolicy'],
  },
  {
    type: 'iam-role',
    seed: (h) => {
      iam(h, 'CreateRole', { RoleName: 'app', Path: '/service-role/', AssumeRolePolicyDocument: '{"Statement":[]}' });
      return `arn:aws:iam::${MEMBER_ACCOUNT}:role/service-role/app`;
    },
    handler: (h, env) => createIamLockdownHandler(env, { dynamodb: h.dynamo.client }),
    firstEffect: ['PutRolePolicy'],
  },
  {
    type: 'lambda-function',
    seed: (h) => {
      iam(h, 'CreateRole', { RoleName: 'exec', Path: '/', AssumeRolePolicyDocument: '{"Statement":[]}' });
      h.sim.seed(
        MEMBER_ACCOUNT,
        'lambda',
        'CreateFunction',
        { FunctionName: 'payments', Role: `arn:aws:iam::${MEMBER_ACCOUNT}:role/exec` },
        REGION,
      );
      h.sim.seed(MEMBER_ACCOUNT, 'sqs', 'CreateQueue', { QueueName: 'q' }, REGION);
      h.sim.seed(
        MEMBER_ACCOUNT,
        'lambda',
        'CreateEventSourceMapping',
        { FunctionName: 'payments', EventSourceArn: 'arn:aws:sqs:eu-west-1:111111111111:q', Enabled: true },
        REGION,
      );
      return `arn:aws:lambda:${REGION}:${MEMBER_ACCOUNT}:function:payments`;
    },
    handler: (h, env) => createLambdaLockdownHandler(env, { dynamodb: h.dynamo.client }),
    firstEffect: ['PutRolePolicy'],
  },
  {
    type: 'ec2-instance',
    seed: (h) => {
      const fx = new Ec2Fixtures(h.sim, MEMBER_ACCOUNT, REGION);
      const a = fx.network();
      const b = fx.network();
      const { profileArn } = fx.profile('web');
      const id = fx.instance(a, { profileArn });
      fx.attachInterface(id, b, 1);
      return fx.instanceArn(id);
    },
    handler: (h, env, followUps) =>
      createEc2IsolationHandler(
        { ...env, QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/999999999999/lockdown-ec2-isolation', UNTRACKED_WINDOW_SECONDS: '60' },
        {
          dynamodb: h.dynamo.client,
          sqs: answerLocally(new SQSClient({ region: 'us-east-1' }), (operation, input) => {
            if (operation === 'SendMessage') followUps.push(JSON.parse(input.MessageBody));
            // The SDK checks the body's MD5 in SQS's answer.
            return { MessageId: 'follow-up', MD5OfMessageBody: createHash('md5').update(input.MessageBody).digest('hex') };
          }),
        },
      ),
    firstEffect: ['PutRolePolicy'],
  },
];

const MUTATING = /^(?!Get|List|Describe|AssumeRole)/;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** One containment (both EC2 phases), with every AWS call delayed by `latency` ms. */
async function measure(h: ServiceHarness, scenario: Scenario, latency: number) {
  const env = await h.reset();
  const arn = scenario.seed(h);
  const followUps: DispatchMessage[] = [];
  const handler = scenario.handler(h, env, followUps);
  const ledgerCalls: string[] = [];
  h.latencyMs = latency;
  const first = h.sim.calls.length;
  const invocations: Array<{ start: number; end: number; calls: typeof h.sim.calls }> = [];
  let message: DispatchMessage | undefined = dispatchMessage(arn);
  const counting = h.dynamo.client.middlewareStack;
  counting.add(
    (next, context) => async (args) => {
      ledgerCalls.push(`dynamodb:${(context.commandName ?? '').replace(/Command$/, '')}`);
      return next(args);
    },
    { step: 'initialize', name: 'benchCount', override: true },
  );
  while (message) {
    const from = h.sim.calls.length;
    const start = performance.now();
    const result = await handler(sqsEvent(sqsRecord(message)), lambdaContext);
    const end = performance.now();
    if (result.batchItemFailures.length > 0) throw new Error(`${scenario.type} failed in the bench: ${h.audits.at(-1)?.body}`);
    invocations.push({ start, end, calls: h.sim.calls.slice(from) });
    message = followUps.shift();
  }
  counting.remove('benchCount');
  const calls = h.sim.calls.slice(first);
  const byOperation: Record<string, number> = {};
  for (const c of [...calls.map((c) => `${c.service}:${c.operation}`), ...ledgerCalls, ...h.audits.map(() => 'sns:Publish')])
    byOperation[c] = (byOperation[c] ?? 0) + 1;
  const rt = (ms: number) => Math.round((ms / Math.max(latency, 1)) * 10) / 10;
  const firstInvocation = invocations[0]!;
  const firstEffect = firstInvocation.calls.find((c) => scenario.firstEffect.includes(c.operation))!;
  const lastMutation = (inv: (typeof invocations)[number]) =>
    Math.max(...inv.calls.filter((c) => c.service !== 'sts' && MUTATING.test(c.operation)).map((c) => c.at)) - inv.start;
  return {
    byOperation,
    toFirstEffect: rt(firstEffect.at - firstInvocation.start),
    toFull: rt(invocations.reduce((sum, inv) => sum + lastMutation(inv), 0)),
    handler: rt(invocations.reduce((sum, inv) => sum + (inv.end - inv.start), 0)),
    wallMs: invocations.reduce((sum, inv) => sum + (inv.end - inv.start), 0),
  };
}

/** Per entity type: calls, sequential round trips (latency injection), and handler time. */
export async function benchEntities(latency = 100, runs = 5): Promise<Record<string, EntityFigures>> {
  const h = await new ServiceHarness().start();
  // The sandbox's own authorization check (iam-simulate) is CPU that AWS spends, not lockdown: the
  // tests keep it on; the timings leave it out.
  h.sim.authorize = false;
  try {
    const figures: Record<string, EntityFigures> = {};
    for (const scenario of SCENARIOS) {
      const timed = await measure(h, scenario, latency);
      const realistic = await measure(h, scenario, 25);
      const times: number[] = [];
      for (let i = 0; i < runs; i += 1) times.push((await measure(h, scenario, 0)).wallMs);
      figures[scenario.type] = {
        apiCalls: timed.byOperation,
        roundTripsToFirstEffect: timed.toFirstEffect,
        roundTripsToFull: timed.toFull,
        roundTripsHandler: timed.handler,
        handlerMs: Math.round(median(times) * 10) / 10,
        handlerMsAtLatency: Math.round(realistic.wallMs),
      };
    }
    return figures;
  } finally {
    await h.stop();
  }
}
