import { DynamoDbLedger } from '@lockdown/aws';
import { memberRolePolicy } from '@lockdown/contracts';
import { MEMBER_ACCOUNT, ServiceHarness, dispatchMessage, functionView, roleView, sqsEvent, sqsRecord } from '@lockdown/sandbox';
import { descriptor } from './descriptor';
import { createLambdaLockdownHandler } from './handler';

// The member role as the stack deploys it: the shared statements and this service's own.
const harness = new ServiceHarness({ memberPolicy: (props) => memberRolePolicy(props, descriptor.memberStatements) });
const REGION = 'eu-west-1';
const fnArn = (name: string) => `arn:aws:lambda:${REGION}:${MEMBER_ACCOUNT}:function:${name}`;
const SHARED_ROLE = `arn:aws:iam::${MEMBER_ACCOUNT}:role/app/shared-exec`;
let env: NodeJS.ProcessEnv;

beforeAll(() => harness.start());
afterAll(() => harness.stop());
beforeEach(async () => {
  env = await harness.reset();
  harness.sim.seed(MEMBER_ACCOUNT, 'iam', 'CreateRole', {
    RoleName: 'shared-exec',
    Path: '/app/',
    AssumeRolePolicyDocument: '{"Statement":[]}',
  });
});

const handler = (extra: Record<string, string> = {}) =>
  createLambdaLockdownHandler({ ...env, ...extra }, { dynamodb: harness.dynamo.client });
const lambda = (operation: string, input: object) => harness.sim.seed(MEMBER_ACCOUNT, 'lambda', operation, input, REGION);
const view = (name: string) => functionView(harness.sim, MEMBER_ACCOUNT, REGION, name);
const run = (...messages: ReturnType<typeof dispatchMessage>[]) =>
  harness.invoke(handler(), sqsEvent(...messages.map((m) => sqsRecord(m))));
const denied = (name: string) => harness.sim.principalDenied(MEMBER_ACCOUNT, 'role', 'shared-exec', { sourceFunctionArn: fnArn(name) });

function seedFunction(name: string, options: { reserved?: number; mappings?: Array<boolean> } = {}) {
  lambda('CreateFunction', { FunctionName: name, Role: SHARED_ROLE });
  if (options.reserved !== undefined)
    lambda('PutFunctionConcurrency', { FunctionName: name, ReservedConcurrentExecutions: options.reserved });
  for (const [i, enabled] of (options.mappings ?? []).entries()) {
    harness.sim.seed(MEMBER_ACCOUNT, 'sqs', 'CreateQueue', { QueueName: `q${i}` }, REGION);
    lambda('CreateEventSourceMapping', {
      FunctionName: name,
      EventSourceArn: `arn:aws:sqs:${REGION}:${MEMBER_ACCOUNT}:q${i}`,
      Enabled: enabled,
    });
  }
}

describe('lambda-lockdown', () => {
  it('stops the function and denies only its credentials on a role shared with a healthy function', async () => {
    seedFunction('payments', { mappings: [true, false] });
    seedFunction('healthy');
    const before = { payments: view('payments'), role: roleView(harness.sim, MEMBER_ACCOUNT, 'shared-exec') };

    expect(await run(dispatchMessage(fnArn('payments')))).toEqual({ batchItemFailures: [] });

    expect(view('payments').reservedConcurrency).toBe(0);
    expect(Object.values(view('payments').mappings).sort()).toEqual(['Disabled', 'Disabled']);
    expect(await denied('payments')).toBe(true);
    expect(await denied('healthy')).toBe(false);
    expect(view('healthy').reservedConcurrency).toBeNull();
    expect(harness.audits[0]).toMatchObject({
      kind: 'contained',
      subject: '[lockdown] CONTAINED lambda-function payments in 111111111111',
    });

    await run(dispatchMessage(fnArn('payments'), { action: 'release' }));
    expect(view('payments')).toEqual(before.payments);
    expect(roleView(harness.sim, MEMBER_ACCOUNT, 'shared-exec')).toEqual(before.role);
    expect(await denied('payments')).toBe(false);
  });

  it('marks the shared role for the organization guard until the last containment on it is released', async () => {
    seedFunction('payments');
    seedFunction('reports');
    const before = roleView(harness.sim, MEMBER_ACCOUNT, 'shared-exec');
    const guarded = () => roleView(harness.sim, MEMBER_ACCOUNT, 'shared-exec').tags['lockdown:guarded'];

    await run(dispatchMessage(fnArn('payments')));
    await run(dispatchMessage(fnArn('reports')));
    expect(guarded()).toBe('true');

    await run(dispatchMessage(fnArn('payments'), { action: 'release' }));
    expect(guarded()).toBe('true'); // the deny of reports is still on the role
    await run(dispatchMessage(fnArn('reports'), { action: 'release' }));
    expect(roleView(harness.sim, MEMBER_ACCOUNT, 'shared-exec')).toEqual(before);
  });

  it('removes the guard mark when two containments of one role are released at the same moment (one batch)', async () => {
    seedFunction('payments');
    seedFunction('reports');
    const before = roleView(harness.sim, MEMBER_ACCOUNT, 'shared-exec');
    await run(dispatchMessage(fnArn('payments')), dispatchMessage(fnArn('reports')));
    await run(dispatchMessage(fnArn('payments'), { action: 'release' }), dispatchMessage(fnArn('reports'), { action: 'release' }));
    expect(roleView(harness.sim, MEMBER_ACCOUNT, 'shared-exec')).toEqual(before);
  });

  it('re-enables exactly the mappings it disabled', async () => {
    seedFunction('payments', { mappings: [true, false] });
    const before = view('payments').mappings;
    await run(dispatchMessage(fnArn('payments')));
    await run(dispatchMessage(fnArn('payments'), { action: 'release' }));
    expect(view('payments').mappings).toEqual(before);
    const enabled = harness.sim.mutatingCalls().filter((c) => c.operation === 'UpdateEventSourceMapping' && c.input.Enabled);
    expect(enabled).toHaveLength(1);
  });

  it('tags each mapping it disables lockdown:containment (what the organization guard freezes), and removes the tag on release', async () => {
    seedFunction('payments', { mappings: [true, false] });
    const mappingTags = () =>
      [...harness.sim.account(MEMBER_ACCOUNT).eventSourceMappings.values()].map((m) => ({
        state: m.state,
        tags: Object.fromEntries(m.tags ?? new Map()),
      }));
    const before = mappingTags();

    await run(dispatchMessage(fnArn('payments')));

    const request = harness.audits[0]!.requestId;
    expect(mappingTags()).toEqual([
      { state: 'Disabled', tags: { 'lockdown:containment': request } },
      // A mapping that was already disabled is not lockdown's: neither changed nor tagged.
      { state: 'Disabled', tags: {} },
    ]);
    await run(dispatchMessage(fnArn('payments'), { action: 'release' }));
    expect(mappingTags()).toEqual(before);
  });

  it('restores an existing reserved concurrency on release', async () => {
    seedFunction('batch', { reserved: 7 });
    await run(dispatchMessage(fnArn('batch')));
    expect(view('batch').reservedConcurrency).toBe(0);
    await run(dispatchMessage(fnArn('batch'), { action: 'release' }));
    expect(view('batch').reservedConcurrency).toBe(7);
  });

  it('releases a function deleted after containment: its undos count as done and say so', async () => {
    seedFunction('batch', { reserved: 7, mappings: [true] });
    await run(dispatchMessage(fnArn('batch')));
    harness.sim.account(MEMBER_ACCOUNT).functions.delete(`${REGION}/batch`);

    expect(await run(dispatchMessage(fnArn('batch'), { action: 'release' }))).toEqual({ batchItemFailures: [] });

    expect(harness.audits[1]).toMatchObject({ kind: 'released' });
    expect(harness.audits[1]!.body).toMatch(/nothing to undo: the entity or resource is gone \(ResourceNotFoundException/);
    expect(await denied('batch')).toBe(false);
  });

  it('contains the whole function when the ARN carries a version or alias', async () => {
    seedFunction('api');
    const message = dispatchMessage(`${fnArn('api')}:live`);
    await run(message);
    expect(view('api').reservedConcurrency).toBe(0);
    expect(harness.sim.mutatingCalls().find((c) => c.operation === 'PutFunctionConcurrency')!.input.FunctionName).toBe(fnArn('api'));
    const record = await new DynamoDbLedger(env.LEDGER_TABLE_NAME!, harness.dynamo.client).get(fnArn('api'));
    expect(record!.status).toBe('contained');
    await run(dispatchMessage(`${fnArn('api')}:live`, { action: 'release' }));
    expect(view('api').reservedConcurrency).toBeNull();
  });

  it('in whole-role mode also denies the shared role, and release restores it', async () => {
    seedFunction('payments');
    seedFunction('healthy');
    const before = roleView(harness.sim, MEMBER_ACCOUNT, 'shared-exec');
    await harness.invoke(handler({ LAMBDA_ROLE_MODE: 'whole-role' }), sqsEvent(sqsRecord(dispatchMessage(fnArn('payments')))));
    expect(await denied('healthy')).toBe(true);
    await harness.invoke(
      handler({ LAMBDA_ROLE_MODE: 'whole-role' }),
      sqsEvent(sqsRecord(dispatchMessage(fnArn('payments'), { action: 'release' }))),
    );
    expect(roleView(harness.sim, MEMBER_ACCOUNT, 'shared-exec')).toEqual(before);
  });

  it('refuses an unknown LAMBDA_ROLE_MODE at cold start', () => {
    expect(() => handler({ LAMBDA_ROLE_MODE: 'everything' })).toThrow(
      /lambda-lockdown is not configured: LAMBDA_ROLE_MODE: .*"targeted"\|"whole-role" \(got "everything"\)/,
    );
  });

  it('fails with not-found and changes nothing for a function that does not exist', async () => {
    const result = await run(dispatchMessage(fnArn('ghost')));
    expect(result.batchItemFailures).toHaveLength(1);
    expect(harness.sim.mutatingCalls()).toEqual([]);
    expect(harness.audits[0]!.body).toContain('Reason code: not-found');
  });

  it('gives one original and the same end state when delivered twice, also concurrently', async () => {
    seedFunction('payments', { reserved: 3, mappings: [true] });
    const message = dispatchMessage(fnArn('payments'));
    await Promise.all([run(message), run(message)]);
    await run(message);
    const record = await new DynamoDbLedger(env.LEDGER_TABLE_NAME!, harness.dynamo.client).get(fnArn('payments'));
    expect(record!.original.state).toMatchObject({ reservedConcurrency: 3 });
    expect(record!.cycle).toBe(1);
    await run(dispatchMessage(fnArn('payments'), { action: 'release' }));
    expect(view('payments').reservedConcurrency).toBe(3);
  });

  it('retries a throttled Lambda control plane through SQS and then finishes', async () => {
    seedFunction('payments');
    harness.sim.inject({ operation: 'PutFunctionConcurrency', fault: 'throttling', times: 1 });
    const first = await run(dispatchMessage(fnArn('payments'), { requestId: 'req-throttled' }));
    expect(first.batchItemFailures).toHaveLength(1);
    expect(harness.audits).toEqual([]); // retryable: no email until it succeeds or reaches the DLQ
    expect(await denied('payments')).toBe(true); // the credential deny landed before the throttled step

    const again = await harness.invoke(
      handler(),
      sqsEvent(sqsRecord(dispatchMessage(fnArn('payments'), { requestId: 'req-throttled' }), 2)),
    );
    expect(again.batchItemFailures).toEqual([]);
    expect(view('payments').reservedConcurrency).toBe(0);
  });
});

describe('lambda-lockdown: a role an attacker prepared', () => {
  /** Fills the role's inline policies to IAM's aggregate quota (10,240 characters for a role, SDK name LimitExceededException). */
  const padRole = () => {
    const document = (n: number) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'p'.repeat(n)}/*` }],
      });
    harness.sim.seed(MEMBER_ACCOUNT, 'iam', 'PutRolePolicy', {
      RoleName: 'shared-exec',
      PolicyName: 'pad1',
      PolicyDocument: document(5000),
    });
    harness.sim.seed(MEMBER_ACCOUNT, 'iam', 'PutRolePolicy', {
      RoleName: 'shared-exec',
      PolicyName: 'pad2',
      PolicyDocument: document(5000),
    });
  };

  it('stops the function when the role is too full for the credential deny, and the FAILED audit says what holds and what does not', async () => {
    seedFunction('payments', { mappings: [true] });
    padRole();
    const before = { payments: view('payments'), role: roleView(harness.sim, MEMBER_ACCOUNT, 'shared-exec') };

    const result = await run(dispatchMessage(fnArn('payments')));

    expect(result.batchItemFailures).toHaveLength(1);
    expect(await denied('payments')).toBe(false);
    expect(view('payments').reservedConcurrency).toBe(0);
    expect(Object.values(view('payments').mappings)).toEqual(['Disabled']);
    const failed = harness.audits.find((a) => a.kind === 'failed')!;
    expect(failed.body).toContain('Reason code: limit-exceeded');
    expect(failed.body).toMatch(
      /could not apply step "deny-function-credentials".*LimitExceeded.*Maximum policy size of 10240 bytes exceeded for role shared-exec/,
    );
    expect(failed.body).toMatch(/applied and holding: .*reserved-concurrency-zero/);

    await run(dispatchMessage(fnArn('payments'), { action: 'release' }));
    expect(view('payments')).toEqual(before.payments);
    expect(roleView(harness.sim, MEMBER_ACCOUNT, 'shared-exec')).toEqual(before.role);
  });

  it('never overwrites nor deletes a policy it did not write under its deny name: kept, and the deny goes under the next name', async () => {
    seedFunction('payments');
    const theirs = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }] });
    harness.sim.seed(MEMBER_ACCOUNT, 'iam', 'PutRolePolicy', {
      RoleName: 'shared-exec',
      PolicyName: 'lockdown-deny-fn-payments',
      PolicyDocument: theirs,
    });
    const before = roleView(harness.sim, MEMBER_ACCOUNT, 'shared-exec');

    const result = await run(dispatchMessage(fnArn('payments')));

    expect(result.batchItemFailures).toEqual([]);
    const inline = roleView(harness.sim, MEMBER_ACCOUNT, 'shared-exec').inline;
    expect(inline['lockdown-deny-fn-payments']).toBe(theirs);
    expect(inline['lockdown-deny-fn-payments-2']).toBeDefined();
    expect(await denied('payments')).toBe(true);
    expect(view('payments').reservedConcurrency).toBe(0);
    expect(harness.audits.find((a) => a.kind === 'contained')).toBeDefined();

    await run(dispatchMessage(fnArn('payments'), { action: 'release' }));
    expect(roleView(harness.sim, MEMBER_ACCOUNT, 'shared-exec')).toEqual(before);
    expect(view('payments').reservedConcurrency).toBeNull();
    expect(harness.audits.find((a) => a.kind === 'released')!.body).toContain(
      'the inline policy lockdown-deny-fn-payments on role shared-exec is not the one lockdown wrote: kept as it is',
    );
  });
});

describe('lambda-lockdown: the tamper watch and an attacker on the role', () => {
  it('finds its credential deny removed from the role at a watch tick (a fresh invocation), puts it back and reports TAMPERED', async () => {
    seedFunction('payments', { reserved: 5 });
    const watch = harness.watched(createLambdaLockdownHandler, env);
    await watch.deliver(dispatchMessage(fnArn('payments')));
    // A second administrator deletes the deny on the execution role.
    harness.sim.seed(MEMBER_ACCOUNT, 'iam', 'DeleteRolePolicy', { RoleName: 'shared-exec', PolicyName: 'lockdown-deny-fn-payments' });
    expect(await denied('payments')).toBe(false);

    await watch.deliver(watch.tick(0));

    expect(await denied('payments')).toBe(true);
    expect(harness.audits.find((a) => a.kind === 'tampered')?.body).toContain('Deny credentials of payments on its role shared-exec');
  });

  it('removes the guard mark at release also when someone else already deleted the deny', async () => {
    seedFunction('payments');
    const before = roleView(harness.sim, MEMBER_ACCOUNT, 'shared-exec');
    await run(dispatchMessage(fnArn('payments')));
    harness.sim.seed(MEMBER_ACCOUNT, 'iam', 'DeleteRolePolicy', { RoleName: 'shared-exec', PolicyName: 'lockdown-deny-fn-payments' });

    await run(dispatchMessage(fnArn('payments'), { action: 'release' }));

    expect(roleView(harness.sim, MEMBER_ACCOUNT, 'shared-exec')).toEqual(before);
  });
});
