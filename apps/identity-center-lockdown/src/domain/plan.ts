import type { PlannedStep } from '@lockdown/containment';
import type { ObservedIdentityCenterUser } from './observed';
import { deniesSessions } from './session-deny';
import * as kinds from './step-kinds';

export interface IdentityCenterPlanOptions {
  /** Whether a release keeps the session deny for sessions issued before it (`keepIdentityCenterSessionDeny`). */
  keepSessionDenyOnRelease: boolean;
}

/** A permission set's id: the last segment of its ARN (`arn:aws:sso:::permissionSet/ssoins-.../ps-...`). */
export const permissionSetIdOf = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/** The permission sets the user reaches, in a stable order. */
const permissionSetsOf = (state: ObservedIdentityCenterUser) =>
  [...new Set(state.assignments.map((a) => a.permissionSetArn))].sort().map((arn) => state.permissionSets[arn]!);

/**
 * Plans the containment of an Identity Center user. Pure: observed state in, steps out.
 * Stage 0: the deny of the user's live sessions in each permission set they reach (directly or through a
 * group), self-identifying (lockdown's Sid). Stage 1, in parallel: their own account assignments and
 * their group memberships removed, so no new session can start (group assignments stay: colleagues use them).
 */
export function planIdentityCenterContainment(state: ObservedIdentityCenterUser, options: IdentityCenterPlanOptions): PlannedStep[] {
  const denies = permissionSetsOf(state).map((ps) =>
    kinds.sessionDeny.step(
      {
        id: `session-deny:${permissionSetIdOf(ps.arn)}`,
        description: `deny ${state.userName}'s sessions of permission set ${ps.name} (inline policy, provisioned to its accounts)`,
        stage: 0,
        original: ps.inlinePolicy,
        calls: {
          apply: ['sso:GetInlinePolicyForPermissionSet', 'sso:PutInlinePolicyToPermissionSet', 'sso:ProvisionPermissionSet'],
          undo: [
            'sso:GetInlinePolicyForPermissionSet',
            options.keepSessionDenyOnRelease ? 'sso:PutInlinePolicyToPermissionSet' : 'sso:DeleteInlinePolicyFromPermissionSet',
            'sso:ProvisionPermissionSet',
          ],
        },
      },
      {
        instanceArn: state.instanceArn,
        permissionSetArn: ps.arn,
        permissionSetName: ps.name,
        userId: state.userId,
        keepOnRelease: options.keepSessionDenyOnRelease,
      },
    ),
  );
  const own = state.assignments
    .filter((a) => a.principalType === 'USER' && a.principalId === state.userId)
    .sort((a, b) => `${a.accountId}${a.permissionSetArn}`.localeCompare(`${b.accountId}${b.permissionSetArn}`))
    .map((a) =>
      kinds.accountAssignment.step(
        {
          id: `assignment:${a.accountId}:${permissionSetIdOf(a.permissionSetArn)}`,
          description: `remove ${state.userName}'s assignment of ${state.permissionSets[a.permissionSetArn]?.name ?? a.permissionSetArn} in account ${a.accountId}`,
          stage: 1,
          original: { accountId: a.accountId, permissionSetArn: a.permissionSetArn },
          calls: {
            apply: ['sso:DeleteAccountAssignment', 'sso:DescribeAccountAssignmentDeletionStatus'],
            undo: ['sso:CreateAccountAssignment', 'sso:DescribeAccountAssignmentCreationStatus'],
          },
        },
        {
          instanceArn: state.instanceArn,
          accountId: a.accountId,
          permissionSetArn: a.permissionSetArn,
          principalType: 'USER',
          principalId: state.userId,
        },
      ),
    );
  const memberships = [...state.memberships]
    .sort((a, b) => a.groupId.localeCompare(b.groupId))
    .map((m) =>
      kinds.groupMembership.step(
        {
          id: `membership:${m.groupId}`,
          description: `remove ${state.userName} from group ${m.groupId}`,
          stage: 1,
          original: m.membershipId,
          calls: { apply: ['identitystore:DeleteGroupMembership'], undo: ['identitystore:CreateGroupMembership'] },
        },
        { identityStoreId: state.identityStoreId, groupId: m.groupId, userId: state.userId },
      ),
    );
  return [...denies, ...own, ...memberships];
}

/** What must hold for the user to count as contained: no assignment reached any more, every denied permission set still denying. */
export function identityCenterContainmentGaps(state: ObservedIdentityCenterUser, steps: readonly PlannedStep[]): string[] {
  const gaps = state.assignments.map(
    (a) =>
      `${state.userName} still reaches ${state.permissionSets[a.permissionSetArn]?.name ?? a.permissionSetArn} in account ${a.accountId} (${a.principalType} assignment)`,
  );
  for (const step of steps.filter((s) => s.kind === kinds.sessionDeny.kind)) {
    const p = kinds.sessionDeny.paramsOf(step);
    if (!deniesSessions(state.permissionSets[p.permissionSetArn]?.inlinePolicy ?? null, p.userId))
      gaps.push(`permission set ${p.permissionSetName} does not deny ${state.userName}'s sessions`);
  }
  return gaps;
}

/** What a responder must know: what the Identity Center API cannot do. */
export function identityCenterNotes(state: ObservedIdentityCenterUser): string[] {
  return [
    state.external
      ? `${state.userName} signs in through an external identity provider: an external IdP's own session is the IdP's to end (disable the user there and revoke its sessions; lockdown removed what Identity Center grants)`
      : `${state.userName} is in the Identity Center directory: its API cannot disable a user or end an access-portal session; lockdown removed every assignment and membership (disable the user in the Identity Center console, or reset their password and MFA, if the investigation calls for it)`,
  ];
}
