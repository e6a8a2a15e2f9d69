import { GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { DynamoDbLedger } from '@lockdown/aws';
import { memberRolePolicy } from '@lockdown/contracts';
import { descriptor } from './descriptor';
import { MEMBER_ACCOUNT, ServiceHarness, dispatchMessage, roleView, sqsEvent, sqsRecord, userView } from '@lockdown/sandbox';
import { createIamLockdownHandler } from './handler';

// The member role as the stack deploys it: the shared statements and this service's own.
const harness = new ServiceHarness({
  memberPolicy: (props) => memberRolePolicy(props, descriptor.memberStatements),
});
const USER_ARN = `arn:aws:iam::${MEMBER_ACCOUNT}:user/ops/alice`;
const ROLE_ARN = `arn:aws:iam::${MEMBER_ACCOUNT}:role/service-role/app`;
const DENY_ALL = 'arn:aws:iam::aws:policy/AWSDenyAll';
let env: NodeJS.ProcessEnv;

beforeAll(() => harness.start());
afterAll(() => harness.stop());
beforeEach(async () => {
  env = await harness.reset();
});

const handler = (extra: Record<string, string> = {}) => createIamLockdownHandler({ ...env, ...extra }, { dynamodb: harness.dynamo.client });
const seed = (operation: string, input: object) => harness.sim.seed(MEMBER_ACCOUNT, 'iam', operation, input);
const ledger = () => new DynamoDbLedger(env.LEDGER_TABLE_NAME!, harness.dynamo.client);

function seedUser(name = 'alice', keys: Array<'Active' | 'Inactive'> = ['Active', 'Inactive']) {
  seed('CreateUser', { UserName: name, Path: '/ops/' });
  seed('AttachUserPolicy', { UserName: name, PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
  seed('PutUserPolicy', { UserName: name, PolicyName: 'own-inline', PolicyDocument: '{"Version":"2012-10-17","Statement":[]}' });
  seed('TagUser', { UserName: name, Tags: [{ Key: 'team', Value: 'payments' }] });
  return keys.map((status) => {
    const { AccessKey } = seed('CreateAccessKey', { UserName: name });
    if (status === 'Inactive') seed('UpdateAccessKey', { UserName: name, AccessKeyId: AccessKey.AccessKeyId, Status: 'Inactive' });
    return AccessKey.AccessKeyId as string;
  });
}

function seedRole(name = 'app', path = '/service-role/', attached: string[] = ['arn:aws:iam::aws:policy/ReadOnlyAccess']) {
  seed('CreateRole', { RoleName: name, Path: path, AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' });
  for (const PolicyArn of attached) seed('AttachRolePolicy', { RoleName: name, PolicyArn });
}

/**
 * What an attacker does to its backdoor before anyone notices: every quota that stands between it
 * and lockdown's denies filled (IAM User Guide, "IAM and AWS STS quotas": 10 managed policies, 50
 * tags per user or role), and a foreign policy under lockdown's deny name. The sandbox refuses
 * the 11th attach and the 51st tag as IAM does.
 */
function fillQuotas(kind: 'user' | 'role', name: string) {
  const [api, key] = kind === 'user' ? ['User', 'UserName'] : ['Role', 'RoleName'];
  const target = { [key!]: name };
  const allow = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  seed(`Put${api}Policy`, { ...target, PolicyName: 'lockdown-deny-all', PolicyDocument: JSON.stringify(allow) });
  const attached = () => harness.sim.account(MEMBER_ACCOUNT)[kind === 'user' ? 'users' : 'roles'].get(name)!;
  for (let i = 0; attached().attached.length < 9; i++)
    seed(`Attach${api}Policy`, { ...target, PolicyArn: seed('CreatePolicy', { PolicyName: `${name}-p${i}` }).Policy.Arn });
  seed(`Attach${api}Policy`, { ...target, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
  const tags = Array.from({ length: 50 - attached().tags.size }, (_, i) => ({ Key: `pad-${i}`, Value: 'x' }));
  seed(`Tag${api}`, { ...target, Tags: tags });
  expect(() => seed(`Attach${api}Policy`, { ...target, PolicyArn: DENY_ALL })).toThrow(expect.objectContaining({ code: 'LimitExceeded' }));
  expect(() => seed(`Tag${api}`, { ...target, Tags: [{ Key: 'lockdown:containment', Value: 'x' }] })).toThrow(
    expect.objectContaining({ code: 'LimitExceeded' }),
  );
}

/** A call with the principal's own access key: the sandbox authorizes it with iam-simulate. */
async function callAs(key: { AccessKeyId: string; SecretAccessKey: string }, command: GetUserCommand): Promise<string> {
  const iam = new IAMClient({
    region: 'us-east-1',
    credentials: { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey },
    maxAttempts: 1,
  });
  return iam.send(command).then(
    () => 'allowed',
    (error: Error) => error.name,
  );
}

async function run(...messages: ReturnType<typeof dispatchMessage>[]) {
  return harness.invoke(handler(), sqsEvent(...messages.map((m) => sqsRecord(m))));
}

describe('iam-lockdown: IAM users', () => {
  it('contains a user with one active and one inactive key, then release restores exactly that state', async () => {
    const [active, inactive] = seedUser();
    const before = userView(harness.sim, MEMBER_ACCOUNT, 'alice');

    expect(await run(dispatchMessage(USER_ARN))).toEqual({ batchItemFailures: [] });

    const contained = userView(harness.sim, MEMBER_ACCOUNT, 'alice');
    expect(contained.attached).toContain(DENY_ALL);
    expect(Object.keys(contained.inline)).toContain('lockdown-deny-all');
    expect(contained.keys).toEqual({ [active!]: 'Inactive', [inactive!]: 'Inactive' });
    expect(contained.tags['lockdown:containment']).toMatch(/^req-/);
    expect(await harness.sim.principalDenied(MEMBER_ACCOUNT, 'user', 'alice')).toBe(true);
    const [audit] = harness.audits;
    expect(audit).toMatchObject({ kind: 'contained', subject: '[lockdown] CONTAINED iam-user alice in 111111111111' });
    expect(audit!.body).toContain(`Deactivate access key ${active}`);
    expect(audit!.body).toContain('To release:');

    await run(dispatchMessage(USER_ARN, { action: 'release' }));
    expect(userView(harness.sim, MEMBER_ACCOUNT, 'alice')).toEqual(before);
    expect(harness.audits[1]).toMatchObject({ kind: 'released' });
  });

  it("keeps a user's own policy named lockdown-deny-all: never overwritten nor deleted, said in the audit, contained by AWSDenyAll", async () => {
    seedUser('alice', ['Active']);
    const theirs = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }],
    });
    seed('PutUserPolicy', { UserName: 'alice', PolicyName: 'lockdown-deny-all', PolicyDocument: theirs });
    const before = userView(harness.sim, MEMBER_ACCOUNT, 'alice');

    expect(await run(dispatchMessage(USER_ARN))).toEqual({ batchItemFailures: [] });

    expect(userView(harness.sim, MEMBER_ACCOUNT, 'alice').inline['lockdown-deny-all']).toBe(theirs);
    expect(userView(harness.sim, MEMBER_ACCOUNT, 'alice').attached).toContain(DENY_ALL);
    expect(await harness.sim.principalDenied(MEMBER_ACCOUNT, 'user', 'alice')).toBe(true);
    expect(harness.audits[0]).toMatchObject({ kind: 'contained' });
    expect(harness.audits[0]!.body).toContain('lockdown-deny-all that lockdown did not write');

    await run(dispatchMessage(USER_ARN, { action: 'release' }));
    expect(userView(harness.sim, MEMBER_ACCOUNT, 'alice')).toEqual(before);
  });

  it('keeps an attacker-prepared user (foreign lockdown-deny-all, 10 managed policies, 50 tags) denied by the AWSDenyAll boundary; release restores it exactly', async () => {
    seedUser('alice', ['Active']);
    const { AccessKey } = seed('CreateAccessKey', { UserName: 'alice' });
    fillQuotas('user', 'alice');
    const before = userView(harness.sim, MEMBER_ACCOUNT, 'alice');

    const result = await run(dispatchMessage(USER_ARN));

    expect(await harness.sim.principalDenied(MEMBER_ACCOUNT, 'user', 'alice')).toBe(true);
    // Even with its key active again (raced back by a second principal), its own call is refused by the boundary.
    expect(await callAs(AccessKey, new GetUserCommand({ UserName: 'alice' }))).toBe('InvalidClientTokenId');
    seed('UpdateAccessKey', { UserName: 'alice', AccessKeyId: AccessKey.AccessKeyId, Status: 'Active' });
    expect(await callAs(AccessKey, new GetUserCommand({ UserName: 'alice' }))).toBe('AccessDenied');
    expect(userView(harness.sim, MEMBER_ACCOUNT, 'alice').boundary).toBe(DENY_ALL);
    // The outcome says what holds (the boundary) and what does not (the tag: the guard's principal-tag deny does not apply).
    expect(result.batchItemFailures).toHaveLength(1);
    const audit = harness.audits.find((a) => a.kind === 'failed')!;
    expect(audit.body).toMatch(/applied and holding: deny-all-boundary/);
    expect(audit.body).toMatch(/\[applied\] Put AWSDenyAll as the permissions boundary of user alice/);
    expect(audit.body).toMatch(/\[skipped\] Attach AWSDenyAll.*managed-policy quota is full/);
    expect(audit.body).toContain('lockdown-deny-all that lockdown did not write');
    expect(audit.body).toMatch(/\[failed\] Tag user alice .*Cannot exceed quota for TagsPerUser: 50/);

    await run(dispatchMessage(USER_ARN, { action: 'release' }));
    expect(userView(harness.sim, MEMBER_ACCOUNT, 'alice')).toEqual(before);
  });

  it("puts a user's own permissions boundary back exactly at release", async () => {
    seedUser('alice', []);
    seed('PutUserPermissionsBoundary', { UserName: 'alice', PermissionsBoundary: 'arn:aws:iam::aws:policy/AdministratorAccess' });
    const before = userView(harness.sim, MEMBER_ACCOUNT, 'alice');

    await run(dispatchMessage(USER_ARN));
    expect(userView(harness.sim, MEMBER_ACCOUNT, 'alice').boundary).toBe(DENY_ALL);

    await run(dispatchMessage(USER_ARN, { action: 'release' }));
    expect(userView(harness.sim, MEMBER_ACCOUNT, 'alice')).toEqual(before);
  });

  it('reactivates exactly the keys it deactivated and no others', async () => {
    const [active, inactive] = seedUser();
    await run(dispatchMessage(USER_ARN));
    await run(dispatchMessage(USER_ARN, { action: 'release' }));
    expect(userView(harness.sim, MEMBER_ACCOUNT, 'alice').keys).toEqual({ [active!]: 'Active', [inactive!]: 'Inactive' });
    const updates = harness.sim.mutatingCalls().filter((c) => c.operation === 'UpdateAccessKey');
    expect(updates.map((c) => [c.input.AccessKeyId, c.input.Status])).toEqual([
      [active, 'Inactive'],
      [active, 'Active'],
    ]);
  });

  it('closes every other door of a user (SSH key, service-specific credential, signing certificate) and reopens exactly those', async () => {
    seedUser('alice', []);
    seed('UploadSSHPublicKey', { UserName: 'alice', SSHPublicKeyBody: 'ssh-ed25519 AAAA' });
    seed('CreateServiceSpecificCredential', { UserName: 'alice', ServiceName: 'bedrock.amazonaws.com' });
    const { Certificate } = seed('UploadSigningCertificate', { UserName: 'alice', CertificateBody: 'cert' });
    seed('UpdateSigningCertificate', { UserName: 'alice', CertificateId: Certificate.CertificateId, Status: 'Inactive' });
    const before = userView(harness.sim, MEMBER_ACCOUNT, 'alice');

    await run(dispatchMessage(USER_ARN));

    expect(Object.values(userView(harness.sim, MEMBER_ACCOUNT, 'alice').otherCredentials)).toEqual(['Inactive', 'Inactive', 'Inactive']);
    await run(dispatchMessage(USER_ARN, { action: 'release' }));
    expect(userView(harness.sim, MEMBER_ACCOUNT, 'alice')).toEqual(before);
    const reopened = harness.sim.mutatingCalls().filter((c) => c.operation.startsWith('Update') && c.input.Status === 'Active');
    expect(reopened.map((c) => c.operation).sort()).toEqual(['UpdateSSHPublicKey', 'UpdateServiceSpecificCredential']);
  });

  it('contains a user without access keys', async () => {
    seedUser('alice', []);
    const before = userView(harness.sim, MEMBER_ACCOUNT, 'alice');
    await run(dispatchMessage(USER_ARN));
    expect(await harness.sim.principalDenied(MEMBER_ACCOUNT, 'user', 'alice')).toBe(true);
    await run(dispatchMessage(USER_ARN, { action: 'release' }));
    expect(userView(harness.sim, MEMBER_ACCOUNT, 'alice')).toEqual(before);
  });

  it('releases after someone detached AWSDenyAll: the policy already gone counts as undone', async () => {
    seedUser();
    const before = userView(harness.sim, MEMBER_ACCOUNT, 'alice');
    await run(dispatchMessage(USER_ARN));
    seed('DetachUserPolicy', { UserName: 'alice', PolicyArn: DENY_ALL });

    expect(await run(dispatchMessage(USER_ARN, { action: 'release' }))).toEqual({ batchItemFailures: [] });

    expect(userView(harness.sim, MEMBER_ACCOUNT, 'alice')).toEqual(before);
    expect(harness.audits[1]).toMatchObject({ kind: 'released' });
    expect(harness.audits[1]!.body).toContain('nothing to undo');
  });

  it('releases a user deleted after containment and says what could not be restored', async () => {
    seedUser();
    await run(dispatchMessage(USER_ARN));
    harness.sim.account(MEMBER_ACCOUNT).users.delete('alice');

    expect(await run(dispatchMessage(USER_ARN, { action: 'release' }))).toEqual({ batchItemFailures: [] });

    expect(harness.audits[1]).toMatchObject({ kind: 'released' });
    expect(harness.audits[1]!.body).toMatch(/nothing to undo: the entity or resource is gone \(NoSuchEntityException/);
    const record = await ledger().get(USER_ARN);
    expect(record?.status).toBe('released');
    expect(record?.steps.every((s) => s.status === 'undone')).toBe(true);
  });

  it('makes every call through the member role, in a session named after the request', async () => {
    seedUser();
    const message = dispatchMessage(USER_ARN);
    await run(message);
    const memberCalls = harness.sim.calls.filter((c) => c.service === 'iam');
    expect(new Set(memberCalls.map((c) => c.sessionName))).toEqual(new Set([`lockdown-iam-lockdown-${message.requestId}`]));
    expect(harness.sim.calls.filter((c) => c.operation === 'AssumeRole')).toHaveLength(1);
  });

  it('fails with a precise reason and changes nothing when the user does not exist', async () => {
    const result = await run(dispatchMessage(`arn:aws:iam::${MEMBER_ACCOUNT}:user/ghost`));
    expect(result.batchItemFailures).toHaveLength(1);
    // The tag goes out on receipt (once its token of the shared IAM budget is leased): IAM refused
    // it, and the failure came once it had (an invocation does not return with calls in flight).
    expect(harness.sim.mutatingCalls()[0]).toMatchObject({ operation: 'TagUser', error: 'NoSuchEntity' });
    expect(harness.sim.mutatingCalls().every((c) => c.error === 'NoSuchEntity')).toBe(true);
    expect(harness.audits[0]).toMatchObject({ kind: 'failed' });
    expect(harness.audits[0]!.body).toMatch(/NoSuchEntity.*ghost/);
    expect(harness.audits[0]!.body).toContain('Reason code: not-found');
  });

  it('fails with access-denied when the member role refuses the ExternalId', async () => {
    seedUser();
    const result = await harness.invoke(
      createIamLockdownHandler({ ...env, MEMBER_EXTERNAL_ID: 'wrong-id' }, { dynamodb: harness.dynamo.client }),
      sqsEvent(sqsRecord(dispatchMessage(USER_ARN))),
    );
    expect(result.batchItemFailures).toHaveLength(1);
    expect(harness.sim.mutatingCalls()).toEqual([]);
    expect(harness.audits[0]!.body).toContain('Reason code: access-denied');
  });
});

describe('iam-lockdown: the console password (deleteLoginProfile, off by default)', () => {
  it('is left alone (and not even read) by default', async () => {
    seedUser();
    seed('CreateLoginProfile', { UserName: 'alice', Password: 'x' });
    await run(dispatchMessage(USER_ARN));
    expect(userView(harness.sim, MEMBER_ACCOUNT, 'alice').loginProfile).toBe(true);
    expect(harness.sim.calls.filter((c) => /LoginProfile/.test(c.operation))).toEqual([]);
  });

  it('is deleted with the option; the release says it cannot be restored and what an administrator must do', async () => {
    seedUser();
    seed('CreateLoginProfile', { UserName: 'alice', Password: 'x' });
    const h = createIamLockdownHandler({ ...env, DELETE_LOGIN_PROFILE: 'true' }, { dynamodb: harness.dynamo.client });
    await harness.invoke(h, sqsEvent(sqsRecord(dispatchMessage(USER_ARN))));
    expect(userView(harness.sim, MEMBER_ACCOUNT, 'alice').loginProfile).toBe(false);

    await harness.invoke(h, sqsEvent(sqsRecord(dispatchMessage(USER_ARN, { action: 'release' }))));
    const released = harness.audits.find((a) => a.kind === 'released')!;
    expect(released.body).toContain('the console password was deleted and cannot be restored');
    expect(released.body).toContain('aws iam create-login-profile --user-name alice');
    expect(userView(harness.sim, MEMBER_ACCOUNT, 'alice').loginProfile).toBe(false);
    expect(await harness.sim.principalDenied(MEMBER_ACCOUNT, 'user', 'alice')).toBe(false);
  });

  it('plans no step for a user without a console password', async () => {
    seedUser();
    const h = createIamLockdownHandler({ ...env, DELETE_LOGIN_PROFILE: 'true' }, { dynamodb: harness.dynamo.client });
    await harness.invoke(h, sqsEvent(sqsRecord(dispatchMessage(USER_ARN))));
    expect(harness.audits[0]!.body).not.toContain('console password');
    expect(harness.sim.mutatingCalls().filter((c) => c.operation === 'DeleteLoginProfile')).toEqual([]);
  });
});

describe('iam-lockdown: the tamper watch', () => {
  const watchedHandler = () => harness.watched(createIamLockdownHandler, env);

  it('undoes what a second principal undid after containment, reports TAMPERED with what and when, and keeps watching', async () => {
    const [active] = seedUser();
    const watch = watchedHandler();
    await watch.deliver(dispatchMessage(USER_ARN));
    expect(watch.sent).toEqual([{ message: expect.objectContaining({ watch: expect.objectContaining({ tick: 1 }) }), delay: 5 }]);

    // A second administrator, created before containment, fights back.
    seed('DeleteUserPolicy', { UserName: 'alice', PolicyName: 'lockdown-deny-all' });
    seed('DetachUserPolicy', { UserName: 'alice', PolicyArn: DENY_ALL });
    seed('DeleteUserPermissionsBoundary', { UserName: 'alice' });
    seed('UpdateAccessKey', { UserName: 'alice', AccessKeyId: active, Status: 'Active' });
    expect(await harness.sim.principalDenied(MEMBER_ACCOUNT, 'user', 'alice')).toBe(false);

    await watch.deliver(watch.tick(0));

    expect(await harness.sim.principalDenied(MEMBER_ACCOUNT, 'user', 'alice')).toBe(true);
    expect(userView(harness.sim, MEMBER_ACCOUNT, 'alice').keys[active!]).toBe('Inactive');
    const tampered = harness.audits.find((a) => a.kind === 'tampered')!;
    expect(tampered.subject).toBe('[lockdown] TAMPERED iam-user alice in 111111111111');
    expect(tampered.body).toMatch(/tampering undone: .*found undone at \d{4}-\d\d-\d\dT/);
    expect(tampered.body).toContain(`Deactivate access key ${active}`);
    expect(tampered.body).toContain('Put AWSDenyAll as the permissions boundary of user alice');
    expect(userView(harness.sim, MEMBER_ACCOUNT, 'alice').boundary).toBe(DENY_ALL);
    expect(watch.sent.map((s) => s.message.watch?.tick)).toEqual([1, 2]);
  });

  it('reports TAMPERED at once when an attacker undoes the re-applied deny again before the read-back, and retries the tick', async () => {
    seedUser();
    const watch = watchedHandler();
    await watch.deliver(dispatchMessage(USER_ARN));
    seed('DeleteUserPolicy', { UserName: 'alice', PolicyName: 'lockdown-deny-all' });
    // The attacker deletes the deny again the moment the tick puts it back.
    harness.sim.afterCall = (call) => {
      if (call.operation === 'PutUserPolicy') seed('DeleteUserPolicy', { UserName: 'alice', PolicyName: 'lockdown-deny-all' });
    };
    try {
      const result = await watch.deliver(watch.tick(0));
      expect(result.batchItemFailures).toHaveLength(1);
    } finally {
      harness.sim.afterCall = undefined;
    }
    const tampered = harness.audits.filter((a) => a.kind === 'tampered');
    expect(tampered).toHaveLength(1);
    expect(tampered[0]!.body).toMatch(/undone again/);
    expect(tampered[0]!.body).toContain('Put inline policy lockdown-deny-all');
  });

  it('ends with a release: the next tick changes nothing, sends no email and schedules nothing', async () => {
    seedUser();
    const watch = watchedHandler();
    await watch.deliver(dispatchMessage(USER_ARN));
    await watch.deliver(dispatchMessage(USER_ARN, { action: 'release' }));
    const before = userView(harness.sim, MEMBER_ACCOUNT, 'alice');
    const audits = harness.audits.length;
    const mutations = harness.sim.mutatingCalls().length;

    await watch.deliver(watch.tick(0));

    expect(userView(harness.sim, MEMBER_ACCOUNT, 'alice')).toEqual(before);
    expect(harness.sim.mutatingCalls()).toHaveLength(mutations);
    expect(harness.audits).toHaveLength(audits);
    expect(watch.sent).toHaveLength(1);
  });
});

describe('iam-lockdown: one session of a role', () => {
  const SESSION_ARN = `arn:aws:sts::${MEMBER_ACCOUNT}:assumed-role/app/stolen-laptop`;
  const roleId = () => harness.sim.seed(MEMBER_ACCOUNT, 'iam', 'GetRole', { RoleName: 'app' }).Role.RoleId as string;
  const sessionDenied = (session: string) =>
    harness.sim.principalDenied(MEMBER_ACCOUNT, 'role', 'app', { userId: `${roleId()}:${session}` });

  it('denies that session only (the role and its other sessions keep working), and release restores the role exactly', async () => {
    seedRole();
    const before = roleView(harness.sim, MEMBER_ACCOUNT, 'app');

    expect(await run(dispatchMessage(SESSION_ARN))).toEqual({ batchItemFailures: [] });

    // Judged by AWS's evaluation logic (iam-simulate) with each session's aws:userid.
    expect(await sessionDenied('stolen-laptop')).toBe(true);
    expect(await sessionDenied('deploy-pipeline')).toBe(false);
    const contained = roleView(harness.sim, MEMBER_ACCOUNT, 'app');
    expect(Object.keys(contained.inline)).toEqual(['lockdown-deny-session-stolen-laptop']);
    expect(contained.tags['lockdown:guarded']).toBe('true');
    expect(contained.tags['lockdown:containment']).toBeUndefined();
    expect(harness.audits[0]).toMatchObject({
      kind: 'contained',
      subject: '[lockdown] CONTAINED iam-role-session app/stolen-laptop in 111111111111',
    });

    await run(dispatchMessage(SESSION_ARN, { action: 'release' }));
    expect(roleView(harness.sim, MEMBER_ACCOUNT, 'app')).toEqual(before);
    expect(await sessionDenied('stolen-laptop')).toBe(false);
  });

  it('never puts its session deny over a policy of that name it did not write, nor deletes it at release: the deny takes the next name', async () => {
    seedRole();
    const theirs = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }],
    });
    seed('PutRolePolicy', { RoleName: 'app', PolicyName: 'lockdown-deny-session-stolen-laptop', PolicyDocument: theirs });
    const before = roleView(harness.sim, MEMBER_ACCOUNT, 'app');

    const result = await run(dispatchMessage(SESSION_ARN));

    expect(result.batchItemFailures).toEqual([]);
    const inline = roleView(harness.sim, MEMBER_ACCOUNT, 'app').inline;
    expect(inline['lockdown-deny-session-stolen-laptop']).toBe(theirs);
    expect(inline['lockdown-deny-session-stolen-laptop-2']).toBeDefined();
    expect(await sessionDenied('stolen-laptop')).toBe(true);
    expect(harness.audits.find((a) => a.kind === 'contained')).toBeDefined();

    await run(dispatchMessage(SESSION_ARN, { action: 'release' }));
    expect(roleView(harness.sim, MEMBER_ACCOUNT, 'app')).toEqual(before);
    expect(await sessionDenied('stolen-laptop')).toBe(false);
  });

  it('refuses only when every one of its deny names is taken by someone else: FAILED with foreign-name, nothing overwritten', async () => {
    seedRole();
    const theirs = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }],
    });
    for (const suffix of ['', '-2', '-3', '-4', '-5'])
      seed('PutRolePolicy', { RoleName: 'app', PolicyName: `lockdown-deny-session-stolen-laptop${suffix}`, PolicyDocument: theirs });
    const before = roleView(harness.sim, MEMBER_ACCOUNT, 'app');

    const result = await run(dispatchMessage(SESSION_ARN));

    expect(result.batchItemFailures).toHaveLength(1);
    expect(roleView(harness.sim, MEMBER_ACCOUNT, 'app').inline).toEqual(before.inline);
    expect(harness.audits.find((a) => a.kind === 'failed')!.body).toContain('Reason code: foreign-name');
  });

  it('refuses a session of a service-linked role, found by its path, before any change', async () => {
    seed('CreateRole', {
      RoleName: 'sneaky',
      Path: '/aws-service-role/x/',
      AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}',
    });
    const result = await run(dispatchMessage(`arn:aws:sts::${MEMBER_ACCOUNT}:assumed-role/sneaky/s1`));
    expect(result.batchItemFailures).toHaveLength(1);
    expect(harness.sim.mutatingCalls()).toEqual([]);
    expect(harness.audits[0]!.body).toContain('Reason code: service-linked-role');
  });
});

describe('iam-lockdown: IAM roles', () => {
  it('contains a role with a path and restores it exactly', async () => {
    seedRole();
    const before = roleView(harness.sim, MEMBER_ACCOUNT, 'app');
    await run(dispatchMessage(ROLE_ARN));
    expect(await harness.sim.principalDenied(MEMBER_ACCOUNT, 'role', 'app')).toBe(true);
    expect(roleView(harness.sim, MEMBER_ACCOUNT, 'app').attached).toContain(DENY_ALL);
    await run(dispatchMessage(ROLE_ARN, { action: 'release' }));
    expect(roleView(harness.sim, MEMBER_ACCOUNT, 'app')).toEqual(before);
  });

  it('relies on the inline deny when the role is at the managed-policy quota', async () => {
    const ten = Array.from({ length: 10 }, (_, i) => {
      const { Policy } = seed('CreatePolicy', { PolicyName: `p${i}` });
      return Policy.Arn as string;
    });
    seedRole('full', '/', ten);
    const before = roleView(harness.sim, MEMBER_ACCOUNT, 'full');

    await run(dispatchMessage(`arn:aws:iam::${MEMBER_ACCOUNT}:role/full`));

    expect(await harness.sim.principalDenied(MEMBER_ACCOUNT, 'role', 'full')).toBe(true);
    expect(harness.audits[0]).toMatchObject({ kind: 'contained' });
    expect(harness.audits[0]!.body).toMatch(/\[skipped\] Attach AWSDenyAll.*managed-policy quota is full/);
    await run(dispatchMessage(`arn:aws:iam::${MEMBER_ACCOUNT}:role/full`, { action: 'release' }));
    expect(roleView(harness.sim, MEMBER_ACCOUNT, 'full')).toEqual(before);
  });

  it('keeps an attacker-prepared role (foreign lockdown-deny-all, 10 managed policies, 50 tags) denied by the AWSDenyAll boundary; release restores it exactly', async () => {
    seedRole('backdoor', '/');
    fillQuotas('role', 'backdoor');
    const before = roleView(harness.sim, MEMBER_ACCOUNT, 'backdoor');

    await run(dispatchMessage(`arn:aws:iam::${MEMBER_ACCOUNT}:role/backdoor`));

    expect(await harness.sim.principalDenied(MEMBER_ACCOUNT, 'role', 'backdoor')).toBe(true);
    expect(roleView(harness.sim, MEMBER_ACCOUNT, 'backdoor').boundary).toBe(DENY_ALL);
    await run(dispatchMessage(`arn:aws:iam::${MEMBER_ACCOUNT}:role/backdoor`, { action: 'release' }));
    expect(roleView(harness.sim, MEMBER_ACCOUNT, 'backdoor')).toEqual(before);
  });

  it('refuses a service-linked role on receipt with a clear reason and no AWS call', async () => {
    const result = await run(
      dispatchMessage(`arn:aws:iam::${MEMBER_ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`),
    );
    expect(result.batchItemFailures).toEqual([]); // refused and consumed: retrying cannot change the answer
    expect(harness.sim.calls).toEqual([]);
    expect(harness.audits[0]!.body).toContain('Reason code: refused-on-receipt');
    expect(harness.audits[0]!.body).toContain('AWSServiceRoleForECS is a service-linked role: only its AWS service can change it');
  });

  it('optionally revokes older sessions, and keeps that revocation on release', async () => {
    seedRole();
    await harness.invoke(handler({ REVOKE_ROLE_SESSIONS: 'true' }), sqsEvent(sqsRecord(dispatchMessage(ROLE_ARN))));
    await run(dispatchMessage(ROLE_ARN, { action: 'release' }));
    const view = roleView(harness.sim, MEMBER_ACCOUNT, 'app');
    expect(Object.keys(view.inline)).toEqual(['lockdown-revoke-older-sessions']);
    expect(await harness.sim.principalDenied(MEMBER_ACCOUNT, 'role', 'app', { tokenIssueTime: '2020-01-01T00:00:00Z' })).toBe(true);
    expect(await harness.sim.principalDenied(MEMBER_ACCOUNT, 'role', 'app', { tokenIssueTime: '2999-01-01T00:00:00Z' })).toBe(false);
  });
});

describe('iam-lockdown: delivery semantics', () => {
  it('gives the same end state and one "original" for a message delivered twice in sequence', async () => {
    seedUser();
    const message = dispatchMessage(USER_ARN);
    await run(message);
    const once = userView(harness.sim, MEMBER_ACCOUNT, 'alice');
    const mutations = harness.sim.mutatingCalls().length;
    await run(message);
    expect(userView(harness.sim, MEMBER_ACCOUNT, 'alice')).toEqual(once);
    // Only what goes out on receipt is repeated, with the same input (idempotent); nothing else.
    const again = harness.sim.mutatingCalls().slice(mutations);
    expect(again.map((c) => c.operation).sort()).toEqual(['PutUserPolicy', 'TagUser']);
    expect(again.map((c) => c.input)).toEqual(
      harness.sim
        .mutatingCalls()
        .slice(0, mutations)
        .filter((c) => c.operation === 'PutUserPolicy' || c.operation === 'TagUser')
        .map((c) => c.input),
    );
    const record = await ledger().get(USER_ARN);
    expect(record!.original.requestId).toBe(message.requestId);
    expect(record!.original.state).toMatchObject({ attachedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] });
  });

  it('sends the deny and the tag on receipt only on the first delivery: a redelivery applies what is missing', async () => {
    seedUser();
    const message = dispatchMessage(USER_ARN);
    await run(message);
    const mutations = harness.sim.mutatingCalls().length;
    await harness.invoke(handler(), sqsEvent(sqsRecord(message, 2)));
    expect(harness.sim.mutatingCalls().slice(mutations)).toEqual([]);
  });

  it('records one original when the same message is delivered concurrently', async () => {
    const [active] = seedUser();
    const message = dispatchMessage(USER_ARN);
    await Promise.all([run(message), run(message)]);
    const record = await ledger().get(USER_ARN);
    expect(record!.cycle).toBe(1);
    expect(record!.status).toBe('contained');
    expect(record!.original.state).toMatchObject({ accessKeys: expect.arrayContaining([{ id: active, status: 'Active' }]) });
    await run(dispatchMessage(USER_ARN, { action: 'release' }));
    expect(userView(harness.sim, MEMBER_ACCOUNT, 'alice').keys[active!]).toBe('Active');
  });

  it('reports only the failed records of a mixed batch (good, throttled, invalid)', async () => {
    seedUser('alice');
    seedUser('bob');
    harness.sim.inject({ operation: 'AttachUserPolicy', fault: 'throttling', when: (input) => input.UserName === 'bob' });
    const good = sqsRecord(dispatchMessage(USER_ARN));
    const throttled = sqsRecord(dispatchMessage(`arn:aws:iam::${MEMBER_ACCOUNT}:user/bob`));
    const invalid = sqsRecord('{"version":1,"entity":"nonsense"}');

    const result = await harness.invoke(handler(), sqsEvent(good, throttled, invalid));

    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([throttled.messageId, invalid.messageId].sort());
    expect(await harness.sim.principalDenied(MEMBER_ACCOUNT, 'user', 'alice')).toBe(true);
    // Throttling is retried silently; an invalid message is audited on its first attempt.
    expect(harness.audits.map((a) => a.kind).sort()).toEqual(['contained', 'failed']);
    expect(harness.audits.find((a) => a.kind === 'failed')!.body).toContain('Reason code: invalid-message');

    harness.sim.clearFaults();
    expect(await harness.invoke(handler(), sqsEvent(sqsRecord(JSON.parse(throttled.body), 2)))).toEqual({ batchItemFailures: [] });
    expect(await harness.sim.principalDenied(MEMBER_ACCOUNT, 'user', 'bob')).toBe(true);
  });

  it('audits the last attempt before the dead-letter queue', async () => {
    seedUser();
    harness.sim.inject({ operation: 'AttachUserPolicy', fault: '5xx' });
    await harness.invoke(handler(), sqsEvent(sqsRecord(dispatchMessage(USER_ARN), 5)));
    expect(harness.audits[0]).toMatchObject({ kind: 'failed' });
    expect(harness.audits[0]!.body).toContain('moved to the dead-letter queue after 5 attempts');
    expect(harness.audits[0]!.body).toContain('attach-aws-deny-all');
  });

  it('plans without changing anything on a dry run', async () => {
    seedUser();
    await run(dispatchMessage(USER_ARN, { dryRun: true }));
    expect(harness.sim.mutatingCalls()).toEqual([]);
    expect(harness.audits[0]).toMatchObject({ kind: 'planned', subject: '[lockdown] DRY-RUN PLANNED iam-user alice in 111111111111' });
    expect(harness.audits[0]!.body).toContain('calls iam:GetUserPolicy, iam:PutUserPolicy');
    expect(await ledger().get(USER_ARN)).toBeUndefined();
  });

  it('says a release of an entity that is not contained is a no-op', async () => {
    seedUser();
    await run(dispatchMessage(USER_ARN, { action: 'release' }));
    expect(harness.sim.mutatingCalls()).toEqual([]);
    expect(harness.audits[0]).toMatchObject({ kind: 'noop' });
    expect(harness.audits[0]!.body).toContain('not contained');
  });
});

describe('iam-lockdown: configuration', () => {
  it('refuses an on/off setting that is neither "true" nor "false" at cold start', () => {
    expect(() => handler({ REVOKE_ROLE_SESSIONS: 'yes' })).toThrow(
      /iam-lockdown is not configured: REVOKE_ROLE_SESSIONS: .*boolean.* \(got "yes"\)/,
    );
  });
});
