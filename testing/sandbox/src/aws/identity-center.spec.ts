import { IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateGroupMembershipCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { ListAccountAssignmentsForPrincipalCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { identityCenterIds } from './identity-center';
import { SimulatedAws } from './simulated-aws';

const IC = '111111111111';
const PROD = '222222222222';

/** Identity Center with one user assigned Admin in prod, directly, and three more accounts through a group. */
function world() {
  const sim = new SimulatedAws();
  sim.authorize = false;
  const state = sim.enableIdentityCenter(IC, 'us-east-1');
  const [user, group] = [identityCenterIds.principal(), identityCenterIds.principal()];
  state.users.set(user, { userName: 'alice@example.com', externalIds: [] });
  state.groups.set(group, { displayName: 'ops' });
  state.memberships.set('m-1', { groupId: group, userId: user });
  const admin = identityCenterIds.permissionSet(state);
  state.permissionSets.set(admin, { name: 'Admin', managedPolicies: [] });
  sim.seed(IC, 'sso', 'CreateAccountAssignment', {
    InstanceArn: state.instanceArn,
    TargetId: PROD,
    TargetType: 'AWS_ACCOUNT',
    PermissionSetArn: admin,
    PrincipalType: 'USER',
    PrincipalId: user,
  });
  for (const account of ['333333333333', '444444444444', '555555555555'])
    state.assignments.push({ accountId: account, permissionSetArn: admin, principalType: 'GROUP', principalId: group });
  // An administrator of the Identity Center account calls it.
  sim.seedAdminRole(IC, 'admin', 'x');
  return { sim, state, user, group, admin, credentials: sim.issueSession(IC, 'admin', 'ops') };
}

describe("the sandbox's IAM Identity Center", () => {
  it('lists a user assignments, their own and their groups, in pages the caller must follow', async () => {
    const { sim, state, user, credentials } = world();
    const uninstall = sim.install();
    try {
      const sso = new SSOAdminClient({ region: 'us-east-1', credentials });
      const first = await sso.send(
        new ListAccountAssignmentsForPrincipalCommand({ InstanceArn: state.instanceArn, PrincipalId: user, PrincipalType: 'USER' }),
      );
      const rest = await sso.send(
        new ListAccountAssignmentsForPrincipalCommand({
          InstanceArn: state.instanceArn,
          PrincipalId: user,
          PrincipalType: 'USER',
          NextToken: first.NextToken,
        }),
      );

      expect(first.NextToken).toBeDefined();
      expect([...first.AccountAssignments!, ...rest.AccountAssignments!].map((a) => a.PrincipalType)).toEqual([
        'USER',
        'GROUP',
        'GROUP',
        'GROUP',
      ]);
    } finally {
      uninstall();
    }
  });

  it("answers a duplicate membership with Identity Store's ConflictException, as the SDK deserializes it from the JSON protocol", async () => {
    const { sim, state, user, group, credentials } = world();
    const uninstall = sim.install();
    try {
      const store = new IdentitystoreClient({ region: 'us-east-1', credentials });
      const duplicate = store.send(
        new CreateGroupMembershipCommand({ IdentityStoreId: state.identityStoreId, GroupId: group, MemberId: { UserId: user } }),
      );

      await expect(duplicate).rejects.toMatchObject({ name: 'ConflictException', $fault: 'client' });
    } finally {
      uninstall();
    }
  });

  it('provisions the permission set as an AWSReservedSSO_* role in the account, which IAM refuses to change, and removes it with the last assignment', async () => {
    const { sim, state, user, admin } = world();
    const [roleName] = [...sim.account(PROD).roles.keys()];
    expect(roleName).toMatch(/^AWSReservedSSO_Admin_[0-9a-f]{16}$/);
    sim.seedAdminRole(PROD, 'admin', 'x');
    const uninstall = sim.install();
    try {
      // An administrator of the account (https://repost.aws/knowledge-center/identity-center-aws-reserved-sso).
      const { credentials: adminKeys } = { credentials: sim.issueSession(PROD, 'admin', 'ops') };
      const change = new IAMClient({ region: 'us-east-1', credentials: adminKeys }).send(
        new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'deny', PolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }),
      );
      await expect(change).rejects.toMatchObject({
        name: 'UnmodifiableEntityException',
        message: expect.stringMatching(/only modifiable by AWS/),
      });
    } finally {
      uninstall();
    }

    sim.seed(IC, 'sso', 'DeleteAccountAssignment', {
      InstanceArn: state.instanceArn,
      TargetId: PROD,
      TargetType: 'AWS_ACCOUNT',
      PermissionSetArn: admin,
      PrincipalType: 'USER',
      PrincipalId: user,
    });
    expect(sim.account(PROD).roles.has(roleName!)).toBe(false);
  });
});
