import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { type IdentityCenterState, SimulatedAws, identityCenterIds } from '@lockdown/sandbox';
import type { PublishTarget } from '@lockdown/publishing';
import type { Check } from './checks';
import { REGION, seedSharedMemberRole } from './drill-accounts';

/** The second account the Identity Center user is assigned to (the drill's member account is the first, and the Identity Center account). */
export const SECOND_ACCOUNT = '222222222222';

type Session = ReturnType<SimulatedAws['signInThroughIdentityCenter']>;

export interface IdentityCenterFixtures {
  state: IdentityCenterState;
  /** The compromised user, as the request names it (the Identity Center account and region in attributes). */
  target: Extract<PublishTarget, object>;
  userId: string;
  /** Her live sessions, one per account, and a colleague's on the same permission set. */
  sessions: { member: Session; second: Session; colleague: Session };
  memberAccount: string;
}

/**
 * IAM Identity Center in the drill's member account (the sandbox only): Dana, compromised, holds Admin
 * in two accounts (her own assignments) and Operator through the ops group; Eli, a colleague, holds Admin
 * in the member account too. Both signed in: sessions of the AWSReservedSSO_* roles.
 */
export function seedIdentityCenter(sandbox: SimulatedAws, memberAccount: string): IdentityCenterFixtures {
  const state = sandbox.enableIdentityCenter(memberAccount, REGION);
  // The member stack is in every account: the sweep reads the second account's CloudTrail with it.
  seedSharedMemberRole(sandbox, SECOND_ACCOUNT);
  const [dana, eli, ops] = [identityCenterIds.principal(), identityCenterIds.principal(), identityCenterIds.principal()];
  state.users.set(dana, { userName: 'dana@example.com', externalIds: [] });
  state.users.set(eli, { userName: 'eli@example.com', externalIds: [] });
  state.groups.set(ops, { displayName: 'ops' });
  state.memberships.set(identityCenterIds.principal(), { groupId: ops, userId: dana });
  const [admin, operator] = [identityCenterIds.permissionSet(state), identityCenterIds.permissionSet(state)];
  const full = ['arn:aws:iam::aws:policy/AdministratorAccess'];
  state.permissionSets.set(admin, { name: 'Admin', managedPolicies: full });
  state.permissionSets.set(operator, { name: 'Operator', managedPolicies: full });
  for (const [accountId, permissionSetArn, principalType, principalId] of [
    [memberAccount, admin, 'USER', dana],
    [SECOND_ACCOUNT, admin, 'USER', dana],
    [SECOND_ACCOUNT, operator, 'GROUP', ops],
    [memberAccount, admin, 'USER', eli],
  ] as const)
    state.assignments.push({ accountId, permissionSetArn, principalType, principalId });
  for (const ps of [admin, operator])
    sandbox.seed(
      memberAccount,
      'sso',
      'ProvisionPermissionSet',
      { InstanceArn: state.instanceArn, PermissionSetArn: ps, TargetType: 'ALL_PROVISIONED_ACCOUNTS' },
      REGION,
    );
  return {
    state,
    target: { arn: `arn:aws:identitystore:::user/${dana}`, accountId: memberAccount, region: REGION },
    userId: dana,
    sessions: {
      member: sandbox.signInThroughIdentityCenter(state, dana, memberAccount, 'Admin'),
      second: sandbox.signInThroughIdentityCenter(state, dana, SECOND_ACCOUNT, 'Admin'),
      colleague: sandbox.signInThroughIdentityCenter(state, eli, memberAccount, 'Admin'),
    },
    memberAccount,
  };
}

/** What Identity Center grants the user: her assignments and group memberships, as a comparable list. */
export function identityCenterAccess(fx: IdentityCenterFixtures): string[] {
  const { state, userId } = fx;
  return [
    ...state.assignments
      .filter((a) => a.principalId === userId)
      .map((a) => `assignment ${a.accountId} ${state.permissionSets.get(a.permissionSetArn)?.name}`),
    ...[...state.memberships.values()]
      .filter((m) => m.userId === userId)
      .map((m) => `member of ${state.groups.get(m.groupId)?.displayName}`),
  ].sort();
}

/** Whether a session may still act: a read its permission set allows (IAM GetRole on its own role), judged by iam-simulate. */
async function mayAct({ roleName, credentials }: Session): Promise<boolean> {
  try {
    await new IAMClient({ region: REGION, credentials, maxAttempts: 1 }).send(new GetRoleCommand({ RoleName: roleName }));
    return true;
  } catch (error) {
    if (/AccessDenied/.test((error as Error).name)) return false;
    throw error;
  }
}

/** What "contained" means for the Identity Center user, read from the sandbox, not from lockdown. */
export async function identityCenterChecks(sandbox: SimulatedAws, fx: IdentityCenterFixtures): Promise<Check[]> {
  const [member, second, colleague] = await Promise.all([
    mayAct(fx.sessions.member),
    mayAct(fx.sessions.second),
    mayAct(fx.sessions.colleague),
  ]);
  const newSessions = [fx.memberAccount, SECOND_ACCOUNT].flatMap((account) =>
    ['Admin', 'Operator'].flatMap((ps) => {
      try {
        sandbox.signInThroughIdentityCenter(fx.state, fx.userId, account, ps);
        return [`${ps} in ${account}`];
      } catch {
        return [];
      }
    }),
  );
  const access = identityCenterAccess(fx);
  return [
    {
      name: "Identity Center user's live sessions denied in both accounts",
      ok: !member && !second,
      detail: `session in ${fx.memberAccount}: ${member ? 'still acts' : 'denied'}; in ${SECOND_ACCOUNT}: ${second ? 'still acts' : 'denied'}`,
    },
    { name: 'a colleague on the same permission set keeps working', ok: colleague, detail: colleague ? 'allowed' : 'denied' },
    {
      name: 'Identity Center user can start no new session (assignments and memberships removed)',
      ok: newSessions.length === 0 && access.length === 0,
      detail: newSessions.length > 0 ? `the portal still offers ${newSessions.join(', ')}` : `left: ${access.join(', ') || 'nothing'}`,
    },
  ];
}

/** After the release: exactly the assignments and memberships she had. */
export function identityCenterReleaseCheck(fx: IdentityCenterFixtures, before: string[]): Check {
  const after = identityCenterAccess(fx);
  const ok = JSON.stringify(after) === JSON.stringify(before);
  return {
    name: 'Identity Center user released exactly (assignments and memberships back)',
    ok,
    detail: ok ? before.join('; ') : `before: ${before.join('; ')}; after: ${after.join('; ')}`,
  };
}
