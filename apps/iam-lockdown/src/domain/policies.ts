import { LOCKDOWN_NAME_PREFIX, Partition } from '@lockdown/contracts';

/** Inline policies lockdown writes carry its prefix, so an observation can always tell them apart. */
export const DENY_ALL_POLICY_NAME = `${LOCKDOWN_NAME_PREFIX}deny-all`;
export const REVOKE_SESSIONS_POLICY_NAME = `${LOCKDOWN_NAME_PREFIX}revoke-older-sessions`;

export const isLockdownPolicyName = (name: string) => name.startsWith(LOCKDOWN_NAME_PREFIX);

export const awsDenyAllArn = (partition: Partition) => `arn:${partition}:iam::aws:policy/AWSDenyAll`;

/** Equivalent to AWSDenyAll. */
export const DENY_ALL_DOCUMENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'LockdownDenyAll', Effect: 'Deny', Action: '*', Resource: '*' }],
});

/** Denies every session issued before `issuedBefore` (the console's "Revoke active sessions"). */
export function revokeSessionsDocument(issuedBefore: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'LockdownRevokeOlderSessions',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { DateLessThan: { 'aws:TokenIssueTime': issuedBefore } },
      },
    ],
  });
}
