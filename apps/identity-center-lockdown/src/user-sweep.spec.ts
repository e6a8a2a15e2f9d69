import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { memberRoleNameOf, memberRolePolicy, ownMemberRolePolicy } from '@lockdown/contracts';
import {
  MEMBER_ACCOUNT,
  MEMBER_EXTERNAL_ID,
  MEMBER_ROLE,
  ServiceHarness,
  dispatchMessage,
  identityCenterIds,
  sqsEvent,
  sqsRecord,
  type IdentityCenterState,
} from '@lockdown/sandbox';
import { descriptor } from './descriptor';
import { createIdentityCenterLockdownHandler } from './handler';

// The service's own member role in the Identity Center account (its statements alone), and the shared
// member role in the accounts the user reached (the sweep reads their CloudTrail with it), both as the
// stacks deploy them; every call is authorized against them (iam-simulate).
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

beforeAll(() => harness.start());
afterAll(() => harness.stop());
beforeEach(async () => {
  env = await harness.reset({ SWEEP: 'on', SWEEP_REGIONS: 'us-east-1' });
  for (const account of [PROD, DEV]) harness.sim.seedMemberRole(account, MEMBER_ROLE, MEMBER_EXTERNAL_ID, undefined, memberRolePolicy);
  ic = harness.sim.enableIdentityCenter(MEMBER_ACCOUNT, 'us-east-1');
  [alice, bob] = [identityCenterIds.principal(), identityCenterIds.principal()];
  ic.users.set(alice, { userName: 'alice@example.com', externalIds: [] });
  ic.users.set(bob, { userName: 'bob@example.com', externalIds: [] });
  const admin = identityCenterIds.permissionSet(ic);
  ic.permissionSets.set(admin, { name: 'Admin', managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] });
  // Alice: Admin in prod and dev; Bob, a colleague: Admin in prod.
  for (const [accountId, principalId] of [
    [PROD, alice],
    [DEV, alice],
    [PROD, bob],
  ] as const)
    ic.assignments.push({ accountId, permissionSetArn: admin, principalType: 'USER', principalId });
  harness.sim.seed(MEMBER_ACCOUNT, 'sso', 'ProvisionPermissionSet', {
    InstanceArn: ic.instanceArn,
    PermissionSetArn: admin,
    TargetType: 'ALL_PROVISIONED_ACCOUNTS',
  });
});

const iamAs = (credentials: ReturnType<typeof harness.sim.issueSession>) => new IAMClient({ region: 'us-east-1', credentials });

describe('the persistence sweep of a contained Identity Center user', () => {
  it('reports what its SSO sessions left in each account it reached, not what a colleague or a same-named session of another role did', async () => {
    const inProd = harness.sim.signInThroughIdentityCenter(ic, alice, PROD, 'Admin');
    const inDev = harness.sim.signInThroughIdentityCenter(ic, alice, DEV, 'Admin');
    await iamAs(inProd.credentials).send(new CreateUserCommand({ UserName: 'sso-door' }));
    await iamAs(inDev.credentials).send(new CreateUserCommand({ UserName: 'dev-door' }));
    await iamAs(inDev.credentials).send(new CreateAccessKeyCommand({ UserName: 'dev-door' }));
    const colleague = harness.sim.signInThroughIdentityCenter(ic, bob, PROD, 'Admin');
    await iamAs(colleague.credentials).send(new CreateUserCommand({ UserName: 'bobs-user' }));
    harness.sim.seed(PROD, 'iam', 'CreateRole', { RoleName: 'ops', Path: '/', AssumeRolePolicyDocument: '{"Statement":[]}' });
    harness.sim.seed(PROD, 'iam', 'AttachRolePolicy', { RoleName: 'ops', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
    const impostor = harness.sim.issueSession(PROD, 'ops', 'alice@example.com');
    await iamAs(impostor).send(new CreateUserCommand({ UserName: 'framed' }));

    // The containment removes Alice's assignments before the sweep: it reads the accounts it recorded.
    await harness.invoke(
      createIdentityCenterLockdownHandler(env, { dynamodb: harness.dynamo.client }),
      sqsEvent(sqsRecord(dispatchMessage(`arn:aws:identitystore:::user/${alice}`))),
    );

    const swept = harness.audits.find((a) => a.kind === 'swept');
    expect(swept?.body).toContain(`in 2 account(s) it reached (${PROD}, ${DEV})`);
    expect(swept?.body).toMatch(
      new RegExp(
        `^ {2}\\d\\. \\[new-principal\\] .*: iam-user sso-door \\(reported\\)\\n {5}CreateUser at \\S+ in ${PROD} us-east-1 `,
        'm',
      ),
    );
    expect(swept?.body).toMatch(
      new RegExp(`^ {2}\\d\\. \\[new-principal\\] .*: iam-user dev-door \\(reported\\)\\n {5}CreateUser at \\S+ in ${DEV} us-east-1 `, 'm'),
    );
    expect(swept?.body).toMatch(/: iam-user dev-door, iam-access-key \S+ of dev-door \(reported\)$/m);
    expect(swept?.body).not.toContain('bobs-user');
    expect(swept?.body).not.toContain('framed');
  });
});
