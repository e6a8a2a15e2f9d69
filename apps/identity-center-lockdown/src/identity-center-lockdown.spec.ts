import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  MEMBER_ACCOUNT,
  MEMBER_ROLE,
  ServiceHarness,
  dispatchMessage,
  identityCenterIds,
  sqsEvent,
  sqsRecord,
  type IdentityCenterState,
} from '@lockdown/sandbox';
import { memberRoleNameOf, ownMemberRolePolicy } from '@lockdown/contracts';
import { descriptor } from './descriptor';
import { createIdentityCenterLockdownHandler } from './handler';

// The service's own member role in the Identity Center account as the stack deploys it (trusted by its
// role only): this service's statements alone; every call the service makes is authorized against it
// (iam-simulate, AWS's data).
const harness = new ServiceHarness({
  memberRoleName: memberRoleNameOf(MEMBER_ROLE, 'identity-center-lockdown'),
  memberPolicy: (props) => ownMemberRolePolicy(props, descriptor.memberStatements),
});
const PROD = '222222222222';
const DEV = '333333333333';
let env: NodeJS.ProcessEnv;
let ic: IdentityCenterState;
let alice: string;
let bob: string;
let ops: string;
let admin: string;
let operator: string;

beforeAll(() => harness.start());
afterAll(() => harness.stop());
beforeEach(async () => {
  env = await harness.reset();
  ic = harness.sim.enableIdentityCenter(MEMBER_ACCOUNT, 'us-east-1');
  [alice, bob, ops] = [identityCenterIds.principal(), identityCenterIds.principal(), identityCenterIds.principal()];
  ic.users.set(alice, { userName: 'alice@example.com', externalIds: [] });
  ic.users.set(bob, { userName: 'bob@example.com', externalIds: [] });
  ic.groups.set(ops, { displayName: 'ops' });
  ic.memberships.set('m-alice-ops', { groupId: ops, userId: alice });
  [admin, operator] = [identityCenterIds.permissionSet(ic), identityCenterIds.permissionSet(ic)];
  ic.permissionSets.set(admin, { name: 'Admin', managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] });
  ic.permissionSets.set(operator, { name: 'Operator', managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] });
  // Alice: Admin in prod and dev (her own), Operator in dev through ops; Bob, a colleague: Admin in prod.
  for (const [accountId, permissionSetArn, principalType, principalId] of [
    [PROD, admin, 'USER', alice],
    [DEV, admin, 'USER', alice],
    [DEV, operator, 'GROUP', ops],
    [PROD, admin, 'USER', bob],
  ] as const)
    ic.assignments.push({ accountId, permissionSetArn, principalType, principalId });
  for (const ps of [admin, operator])
    harness.sim.seed(MEMBER_ACCOUNT, 'sso', 'ProvisionPermissionSet', {
      InstanceArn: ic.instanceArn,
      PermissionSetArn: ps,
      TargetType: 'ALL_PROVISIONED_ACCOUNTS',
    });
});

const userArn = (id: string) => `arn:aws:identitystore:::user/${id}`;
const handler = (extra: Record<string, string> = {}) =>
  createIdentityCenterLockdownHandler({ ...env, ...extra }, { dynamodb: harness.dynamo.client });
const deliver = (message: ReturnType<typeof dispatchMessage>, extra: Record<string, string> = {}) =>
  harness.invoke(handler(extra), sqsEvent(sqsRecord(message)));
const signIn = (userId: string, accountId: string, permissionSet = 'Admin') =>
  harness.sim.signInThroughIdentityCenter(ic, userId, accountId, permissionSet);
/** Whether a session may still act: an IAM read its permission set allows. */
async function mayAct({ roleName, credentials }: ReturnType<typeof signIn>): Promise<boolean> {
  const iam = new IAMClient({ region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    await iam.send(new GetRoleCommand({ RoleName: roleName }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'AccessDeniedException' || (error as Error).name === 'AccessDenied') return false;
    throw error;
  }
}
const assignmentsOf = (userId: string) =>
  ic.assignments
    .filter((a) => a.principalId === userId)
    .map((a) => `${a.accountId}:${ic.permissionSets.get(a.permissionSetArn)!.name}`)
    .sort();
const groupsOf = (userId: string) => [...ic.memberships.values()].filter((m) => m.userId === userId).map((m) => m.groupId);

describe('identity-center-lockdown contains an Identity Center user', () => {
  it("denies both of the user's live sessions, leaves a colleague's alone, and no new session can start", async () => {
    // Prepare: Alice signed in to prod and dev; Bob to prod with the same permission set.
    const [aliceProd, aliceDev, bobProd] = [signIn(alice, PROD), signIn(alice, DEV), signIn(bob, PROD)];
    expect(await mayAct(aliceProd)).toBe(true);

    // Act
    const result = await deliver(dispatchMessage(userArn(alice)));

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(await mayAct(aliceProd)).toBe(false);
    expect(await mayAct(aliceDev)).toBe(false);
    expect(await mayAct(bobProd)).toBe(true);
    expect(() => signIn(alice, PROD)).toThrow(/offers alice@example.com no Admin role/);
    expect(() => signIn(alice, DEV, 'Operator')).toThrow();
    expect(assignmentsOf(alice)).toEqual([]);
    expect(groupsOf(alice)).toEqual([]);
    expect(assignmentsOf(bob)).toEqual([`${PROD}:Admin`]);
    const contained = harness.audits.find((a) => a.kind === 'contained')!;
    expect(contained.body).toMatch(/its API cannot disable a user/);
  });

  it('releases exactly: assignments and memberships back, and sessions from before the release stay denied (keepIdentityCenterSessionDeny)', async () => {
    // Prepare
    const stolen = signIn(alice, PROD);
    const inlineBefore = ic.permissionSets.get(admin)!.inlinePolicy;
    await deliver(dispatchMessage(userArn(alice)));

    // Act
    const result = await deliver(dispatchMessage(userArn(alice), { action: 'release' }));

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(assignmentsOf(alice)).toEqual([`${PROD}:Admin`, `${DEV}:Admin`]);
    expect(groupsOf(alice)).toEqual([ops]);
    expect(await mayAct(stolen)).toBe(false);
    expect(await mayAct(signIn(alice, PROD))).toBe(true);
    expect(await mayAct(signIn(alice, DEV, 'Operator'))).toBe(true);
    expect(inlineBefore).toBeUndefined();
    expect(JSON.parse(ic.permissionSets.get(admin)!.inlinePolicy!).Statement[0].Condition.DateLessThan).toBeDefined();
  });

  it('with keepIdentityCenterSessionDeny off, the release gives the permission sets back their inline policies exactly', async () => {
    const partner = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'Own', Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' }],
    });
    ic.permissionSets.get(operator)!.inlinePolicy = partner;
    const session = signIn(alice, PROD);
    await deliver(dispatchMessage(userArn(alice)), { KEEP_IDENTITY_CENTER_SESSION_DENY: 'false' });

    await deliver(dispatchMessage(userArn(alice), { action: 'release' }), { KEEP_IDENTITY_CENTER_SESSION_DENY: 'false' });

    expect(ic.permissionSets.get(admin)!.inlinePolicy).toBeUndefined();
    expect(ic.permissionSets.get(operator)!.inlinePolicy).toBe(partner);
    expect(await mayAct(session)).toBe(true);
  });

  it("waits for Identity Center's asynchronous deletions through SQS redelivery, never in the Lambda", async () => {
    // Prepare: Identity Center takes a minute to finish each request.
    ic.asyncMs = 60_000;
    const message = dispatchMessage(userArn(alice));

    // Act: the first delivery starts the requests and fails as retryable; the next finds them done.
    const first = await deliver(message);
    ic.asyncMs = 0;
    for (const request of ic.requests.values()) request.completesAt = 0;
    const second = await harness.invoke(handler(), sqsEvent(sqsRecord(message, 2)));

    // Assert
    expect(first.batchItemFailures).toHaveLength(1);
    expect(second.batchItemFailures).toEqual([]);
    expect(assignmentsOf(alice)).toEqual([]);
    expect(harness.audits.map((a) => a.kind)).toContain('contained');
  });

  it('the tamper watch deletes an assignment an Identity Center administrator gave back, and re-denies a permission set whose deny was removed', async () => {
    // Prepare: contained, then another administrator gives Alice Admin in prod again and empties the inline policy.
    const watch = harness.watched(createIdentityCenterLockdownHandler, env);
    await watch.deliver(dispatchMessage(userArn(alice)));
    ic.assignments.push({ accountId: PROD, permissionSetArn: admin, principalType: 'USER', principalId: alice });
    delete ic.permissionSets.get(admin)!.inlinePolicy;
    harness.sim.seed(MEMBER_ACCOUNT, 'sso', 'ProvisionPermissionSet', {
      InstanceArn: ic.instanceArn,
      PermissionSetArn: admin,
      TargetType: 'ALL_PROVISIONED_ACCOUNTS',
    });
    const session = signIn(alice, PROD);
    expect(await mayAct(session)).toBe(true);

    // Act
    await watch.deliver(watch.tick(0));

    // Assert
    expect(assignmentsOf(alice)).toEqual([]);
    expect(await mayAct(session)).toBe(false);
    expect(harness.audits.some((a) => a.kind === 'tampered')).toBe(true);
  });
});
