import fc from 'fast-check';
import { DynamoDbLedger } from '@lockdown/aws';
import { memberRolePolicy } from '@lockdown/contracts';
import {
  FAULT_NAMES,
  MEMBER_ACCOUNT,
  ServiceHarness,
  TRANSIENT_FAULTS,
  deliverUntilSettled,
  dispatchMessage,
  functionView,
  roleView,
  sqsEvent,
} from '@lockdown/sandbox';
import { descriptor } from './descriptor';
import { createLambdaLockdownHandler } from './handler';

// The member role as the stack deploys it: the shared statements and this service's own.
const harness = new ServiceHarness({ memberPolicy: (props) => memberRolePolicy(props, descriptor.memberStatements) });
const REGION = 'eu-west-1';
const ARN = `arn:aws:lambda:${REGION}:${MEMBER_ACCOUNT}:function:payments`;
let env: NodeJS.ProcessEnv;
beforeAll(() => harness.start());
afterAll(() => harness.stop());
beforeEach(async () => {
  env = await harness.reset();
});

const invoke = (event: ReturnType<typeof sqsEvent>) =>
  harness.invoke(createLambdaLockdownHandler(env, { dynamodb: harness.dynamo.client }), event);
const lambda = (operation: string, input: object) => harness.sim.seed(MEMBER_ACCOUNT, 'lambda', operation, input, REGION);

function seed(options: { reserved?: number | null; mappings?: boolean[] } = { reserved: 4, mappings: [true] }) {
  harness.sim.seed(MEMBER_ACCOUNT, 'iam', 'CreateRole', { RoleName: 'exec', Path: '/', AssumeRolePolicyDocument: '{"Statement":[]}' });
  lambda('CreateFunction', { FunctionName: 'payments', Role: `arn:aws:iam::${MEMBER_ACCOUNT}:role/exec` });
  if (options.reserved !== null && options.reserved !== undefined)
    lambda('PutFunctionConcurrency', { FunctionName: 'payments', ReservedConcurrentExecutions: options.reserved });
  for (const [i, enabled] of (options.mappings ?? []).entries()) {
    harness.sim.seed(MEMBER_ACCOUNT, 'sqs', 'CreateQueue', { QueueName: `q${i}` }, REGION);
    lambda('CreateEventSourceMapping', {
      FunctionName: 'payments',
      EventSourceArn: `arn:aws:sqs:${REGION}:${MEMBER_ACCOUNT}:q${i}`,
      Enabled: enabled,
    });
  }
}
const view = () => ({
  fn: functionView(harness.sim, MEMBER_ACCOUNT, REGION, 'payments'),
  role: roleView(harness.sim, MEMBER_ACCOUNT, 'exec'),
});
const shape = (v: ReturnType<typeof view>) => ({
  reserved: v.fn.reservedConcurrency,
  mappings: Object.values(v.fn.mappings).sort(),
  inline: Object.keys(v.role.inline),
});

describe('fault matrix: Lambda function', () => {
  let faultFree: ReturnType<typeof shape>;
  beforeAll(async () => {
    env = await harness.reset();
    seed();
    await deliverUntilSettled(invoke, dispatchMessage(ARN));
    faultFree = shape(view());
  });

  const matrix = ['PutRolePolicy', 'PutFunctionConcurrency', 'UpdateEventSourceMapping'].flatMap((op) =>
    FAULT_NAMES.map((fault) => [op, fault] as const),
  );
  it.each(matrix)('%s failing with %s ends contained or dead-lettered with the step named, then converges', async (operation, fault) => {
    seed();
    const before = view();
    harness.sim.inject({ operation, fault, ...(TRANSIENT_FAULTS.has(fault) ? { times: 1 } : {}) });
    const message = dispatchMessage(ARN);
    const settled = await deliverUntilSettled(invoke, message);
    if (TRANSIENT_FAULTS.has(fault)) {
      expect(settled).toEqual({ attempts: 2, outcome: 'done' });
    } else {
      expect(settled.outcome).toBe('dead-letter');
      const failures = harness.audits.filter((a) => a.kind === 'failed');
      expect(failures[0]!.body).toMatch(new RegExp(`step "[\\w:-]+" .*not authorized to perform: (iam|lambda):${operation}`));
      expect(failures.at(-1)!.body).toContain('moved to the dead-letter queue');
      harness.sim.clearFaults();
      expect(await deliverUntilSettled(invoke, message)).toMatchObject({ outcome: 'done' });
    }
    expect(shape(view())).toEqual(faultFree);
    await deliverUntilSettled(invoke, dispatchMessage(ARN, { action: 'release' }));
    expect(view()).toEqual(before);
  });
});

describe('duplicates: Lambda', () => {
  it('the same message twice, in sequence and concurrently, gives one original and the same end state', async () => {
    seed();
    const before = view();
    const message = dispatchMessage(ARN);
    await Promise.all([deliverUntilSettled(invoke, message), deliverUntilSettled(invoke, message)]);
    const once = view();
    await deliverUntilSettled(invoke, message);
    expect(view()).toEqual(once);
    expect(await new DynamoDbLedger(env.LEDGER_TABLE_NAME!, harness.dynamo.client).get(ARN)).toMatchObject({
      cycle: 1,
      original: { requestId: message.requestId },
    });
    await deliverUntilSettled(invoke, dispatchMessage(ARN, { action: 'release' }));
    expect(view()).toEqual(before);
  });
});

describe('release fidelity: Lambda (property-based)', () => {
  it('contain then release returns the function, its mappings and its role to the starting state', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(fc.integer({ min: 0, max: 50 }), { nil: null }),
        fc.array(fc.boolean(), { maxLength: 3 }),
        fc.constantFrom('targeted', 'whole-role'),
        async (reserved, mappings, mode) => {
          env = await harness.reset({ LAMBDA_ROLE_MODE: mode });
          seed({ reserved, mappings });
          const before = view();
          expect(await deliverUntilSettled(invoke, dispatchMessage(ARN))).toMatchObject({ outcome: 'done' });
          expect(functionView(harness.sim, MEMBER_ACCOUNT, REGION, 'payments').reservedConcurrency).toBe(0);
          expect(await deliverUntilSettled(invoke, dispatchMessage(ARN, { action: 'release' }))).toMatchObject({ outcome: 'done' });
          expect(view()).toEqual(before);
        },
      ),
      { numRuns: 30 },
    );
  }, 60_000); // many runs through the real SDK stack and iam-simulate
});
