import fc from 'fast-check';
import { DynamoDbLedger } from '@lockdown/aws';
import {
  FAULT_NAMES,
  MEMBER_ACCOUNT,
  ServiceHarness,
  TRANSIENT_FAULTS,
  deliverUntilSettled,
  dispatchMessage,
  roleView,
  sqsEvent,
  userView,
} from '@lockdown/sandbox';
import { createIamLockdownHandler } from './handler';

const harness = new ServiceHarness();
let env: NodeJS.ProcessEnv;
beforeAll(() => harness.start());
afterAll(() => harness.stop());
beforeEach(async () => {
  env = await harness.reset();
});

const USER_ARN = `arn:aws:iam::${MEMBER_ACCOUNT}:user/alice`;
const ROLE_ARN = `arn:aws:iam::${MEMBER_ACCOUNT}:role/ops/app`;
const invoke = (event: ReturnType<typeof sqsEvent>) =>
  harness.invoke(createIamLockdownHandler(env, { dynamodb: harness.dynamo.client }), event);
const iam = (operation: string, input: object) => harness.sim.seed(MEMBER_ACCOUNT, 'iam', operation, input);

function seedUser() {
  iam('CreateUser', { UserName: 'alice', Path: '/' });
  iam('AttachUserPolicy', { UserName: 'alice', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
  const { AccessKey } = iam('CreateAccessKey', { UserName: 'alice' });
  iam('CreateAccessKey', { UserName: 'alice' });
  iam('UpdateAccessKey', { UserName: 'alice', AccessKeyId: AccessKey.AccessKeyId, Status: 'Inactive' });
}
function seedRole() {
  iam('CreateRole', { RoleName: 'app', Path: '/ops/', AssumeRolePolicyDocument: '{"Statement":[]}' });
  iam('AttachRolePolicy', { RoleName: 'app', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
}

/** The contained state without run-specific ids (key ids, request ids in tag values). */
const shape = (view: ReturnType<typeof userView> | ReturnType<typeof roleView>) => ({
  attached: view.attached,
  inline: Object.keys(view.inline),
  keys: 'keys' in view ? Object.values(view.keys).sort() : [],
  tags: Object.keys(view.tags),
});

/** The calls iam-lockdown makes on receipt, before observing: the deny and the tag. */
const RECEIPT_OPERATIONS = new Set(['PutUserPolicy', 'TagUser', 'PutRolePolicy', 'TagRole']);

const cases = [
  {
    entity: 'user',
    arn: USER_ARN,
    seed: seedUser,
    view: () => userView(harness.sim, MEMBER_ACCOUNT, 'alice'),
    operations: ['PutUserPolicy', 'AttachUserPolicy', 'UpdateAccessKey', 'TagUser'],
  },
  {
    entity: 'role',
    arn: ROLE_ARN,
    seed: seedRole,
    view: () => roleView(harness.sim, MEMBER_ACCOUNT, 'app'),
    operations: ['PutRolePolicy', 'AttachRolePolicy', 'TagRole'],
  },
] as const;

describe.each(cases)('fault matrix: IAM $entity', ({ arn, seed, view, operations }) => {
  let faultFree: ReturnType<typeof shape>;
  beforeAll(async () => {
    env = await harness.reset();
    seed();
    await deliverUntilSettled(invoke, dispatchMessage(arn));
    faultFree = shape(view());
  });

  const matrix = operations.flatMap((operation) => FAULT_NAMES.map((fault) => [operation, fault] as const));
  it.each(matrix)('%s failing with %s ends contained or dead-lettered with the step named, then converges', async (operation, fault) => {
    seed();
    const before = view();
    harness.sim.inject({ operation, fault, ...(TRANSIENT_FAULTS.has(fault) ? { times: 1 } : {}) });
    const message = dispatchMessage(arn);

    const settled = await deliverUntilSettled(invoke, message);

    if (TRANSIENT_FAULTS.has(fault)) {
      // A call made on receipt that fails once is made again in the same attempt (stage 0).
      expect(settled).toEqual({ attempts: RECEIPT_OPERATIONS.has(operation) ? 1 : 2, outcome: 'done' });
      expect(harness.audits.map((a) => a.kind)).toEqual(['contained']);
    } else {
      expect(settled.outcome).toBe('dead-letter');
      const failures = harness.audits.filter((a) => a.kind === 'failed');
      expect(failures).toHaveLength(2); // the first attempt (permanent) and the last (to the DLQ)
      expect(failures[0]!.body).toMatch(/step "[\w:-]+" .*not authorized to perform: iam:/);
      expect(failures[1]!.body).toContain('moved to the dead-letter queue after 5 attempts');
      expect((await new DynamoDbLedger(env.LEDGER_TABLE_NAME!, harness.dynamo.client).get(arn))!.status).toBe('failed');
      harness.sim.clearFaults();
      expect(await deliverUntilSettled(invoke, message)).toEqual({ attempts: 1, outcome: 'done' });
    }
    expect(shape(view())).toEqual(faultFree);
    await deliverUntilSettled(invoke, dispatchMessage(arn, { action: 'release' }));
    expect(view()).toEqual(before);
  });
});

describe('duplicates: IAM', () => {
  it.each(cases)(
    '$entity: the same message twice, in sequence and concurrently, gives one original and the same end state',
    async ({ arn, seed, view }) => {
      seed();
      const before = view();
      const message = dispatchMessage(arn);
      await Promise.all([deliverUntilSettled(invoke, message), deliverUntilSettled(invoke, message)]);
      const once = view();
      await deliverUntilSettled(invoke, message);
      expect(view()).toEqual(once);
      const record = await new DynamoDbLedger(env.LEDGER_TABLE_NAME!, harness.dynamo.client).get(arn);
      expect(record).toMatchObject({ cycle: 1, status: 'contained', original: { requestId: message.requestId } });
      await deliverUntilSettled(invoke, dispatchMessage(arn, { action: 'release' }));
      expect(view()).toEqual(before);
    },
  );
});

describe('release fidelity: IAM (property-based)', () => {
  const managed = ['ReadOnlyAccess', 'PowerUserAccess', 'AmazonS3ReadOnlyAccess', 'AdministratorAccess', 'AWSDenyAll'].map(
    (p) => `arn:aws:iam::aws:policy/${p}`,
  );
  const startingUser = fc.record({
    attached: fc.subarray(managed),
    inline: fc.uniqueArray(fc.constantFrom('s3-read', 'kms-use', 'ssm-read'), { maxLength: 2 }),
    keys: fc.array(fc.constantFrom('Active', 'Inactive'), { maxLength: 2 }),
    // Not lockdown's own `lockdown:` keys: the organization guard lets no one else write them, and a
    // containment tag seen before containment is lockdown's own (e.g. written on receipt): release removes it.
    tags: fc.dictionary(fc.constantFrom('team', 'env', 'lockdown-owner'), fc.string({ minLength: 1, maxLength: 8 }), { maxKeys: 3 }),
    path: fc.constantFrom('/', '/ops/', '/a/b/'),
    // The principal's own permissions boundary, if any (AWSDenyAll too): release puts it back exactly, or none.
    boundary: fc.option(fc.constantFrom(...managed), { nil: undefined }),
  });

  it('contain then release returns every user and role to its starting state, field by field (its boundary too)', async () => {
    await fc.assert(
      fc.asyncProperty(startingUser, fc.boolean(), async (start, asRole) => {
        env = await harness.reset();
        const name = 'subject';
        if (asRole) iam('CreateRole', { RoleName: name, Path: start.path, AssumeRolePolicyDocument: '{"Statement":[]}' });
        else iam('CreateUser', { UserName: name, Path: start.path });
        const api = asRole ? 'Role' : 'User';
        const key = asRole ? { RoleName: name } : { UserName: name };
        for (const PolicyArn of start.attached) iam(`Attach${api}Policy`, { ...key, PolicyArn });
        for (const PolicyName of start.inline)
          iam(`Put${api}Policy`, { ...key, PolicyName, PolicyDocument: '{"Version":"2012-10-17","Statement":[]}' });
        const tags = Object.entries(start.tags).map(([Key, Value]) => ({ Key, Value }));
        if (tags.length) iam(`Tag${api}`, { ...key, Tags: tags });
        if (start.boundary) iam(`Put${api}PermissionsBoundary`, { ...key, PermissionsBoundary: start.boundary });
        if (!asRole)
          for (const status of start.keys) {
            const { AccessKey } = iam('CreateAccessKey', { UserName: name });
            iam('UpdateAccessKey', { UserName: name, AccessKeyId: AccessKey.AccessKeyId, Status: status });
          }
        const arn = `arn:aws:iam::${MEMBER_ACCOUNT}:${asRole ? 'role' : 'user'}${start.path}${name}`;
        const read = () => (asRole ? roleView(harness.sim, MEMBER_ACCOUNT, name) : userView(harness.sim, MEMBER_ACCOUNT, name));
        const before = read();

        expect(await deliverUntilSettled(invoke, dispatchMessage(arn))).toMatchObject({ outcome: 'done' });
        expect(await harness.sim.principalDenied(MEMBER_ACCOUNT, asRole ? 'role' : 'user', name)).toBe(true);
        expect(await deliverUntilSettled(invoke, dispatchMessage(arn, { action: 'release' }))).toMatchObject({ outcome: 'done' });
        expect(read()).toEqual(before);
      }),
      { numRuns: 40 },
    );
  }, 60_000); // many runs through the real SDK stack and iam-simulate
});
