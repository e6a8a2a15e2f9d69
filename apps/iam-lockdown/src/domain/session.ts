import { roleGuard, roleInlinePolicy, type PlannedStep } from '@lockdown/containment';
import { GUARD_TAG, LOCKDOWN_NAME_PREFIX } from '@lockdown/contracts';

/** What lockdown reads of a role session's role before and after containing the session. */
export interface ObservedSession {
  roleName: string;
  roleArn: string;
  /** The role's unique id (AROA...): a session's `aws:userid` is `<role id>:<session name>`. */
  roleId: string;
  rolePath: string;
  sessionName: string;
  /** Whether lockdown's deny for this session is on the role. */
  denyPolicyPresent: boolean;
}

export const sessionDenyPolicyName = (sessionName: string) => `${LOCKDOWN_NAME_PREFIX}deny-session-${sessionName}`;

/**
 * Denies every action to this session only: its `aws:userid` is `<role id>:<session name>`, which
 * no other session of the role has (a new AssumeRole with the same session name is the same
 * caller and is denied too, as it should be).
 */
export function sessionDenyDocument(roleId: string, sessionName: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'LockdownDenySession',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:userid': `${roleId}:${sessionName}` } },
      },
    ],
  });
}

/**
 * Plans the containment of one role session. Pure.
 * 1. (stage 0) an inline deny on the role for this session's `aws:userid` only;
 * 2. (stage 1) the role marked for the organization guard (its policies frozen while the deny is on it).
 * The role itself is not tagged lockdown:containment: the guard would then deny all its sessions.
 */
export function planSessionContainment(observed: ObservedSession): PlannedStep[] {
  const policyName = sessionDenyPolicyName(observed.sessionName);
  return [
    roleInlinePolicy.step(
      {
        id: 'deny-session',
        description: `Deny session ${observed.sessionName} of role ${observed.roleName} (inline ${policyName}, aws:userid ${observed.roleId}:${observed.sessionName}); its other sessions keep working`,
        stage: 0,
        original: null,
        calls: {
          apply: ['iam:GetRolePolicy', 'iam:PutRolePolicy'],
          undo: ['iam:GetRolePolicy', 'iam:DeleteRolePolicy', 'iam:ListRolePolicies', 'iam:UntagRole'],
        },
      },
      { roleName: observed.roleName, policyName, document: sessionDenyDocument(observed.roleId, observed.sessionName) },
    ),
    roleGuard.step(
      {
        id: `guard-role:${observed.roleName}`,
        description: `Mark role ${observed.roleName} ${GUARD_TAG} (the organization guard freezes its policies while the deny is on it)`,
        stage: 1,
        original: null,
        calls: { apply: ['iam:TagRole'], undo: [] },
      },
      { roleName: observed.roleName, ownPolicyName: policyName },
    ),
  ];
}

export function sessionContainmentGaps(observed: ObservedSession): string[] {
  return observed.denyPolicyPresent ? [] : [`the deny of session ${observed.sessionName} is missing from role ${observed.roleName}`];
}
