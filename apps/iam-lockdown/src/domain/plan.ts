import type { PlannedStep } from '@lockdown/containment';
import { CONTAINMENT_TAG, type Partition } from '@lockdown/contracts';
import { ObservedPrincipal, OtherCredentialType } from './observed';
import { DENY_ALL_DOCUMENT, DENY_ALL_POLICY_NAME, REVOKE_SESSIONS_POLICY_NAME, awsDenyAllArn, revokeSessionsDocument } from './policies';

const CREDENTIAL_CALLS: Record<OtherCredentialType, string> = {
  'ssh-public-key': 'iam:UpdateSSHPublicKey',
  'service-specific-credential': 'iam:UpdateServiceSpecificCredential',
  'signing-certificate': 'iam:UpdateSigningCertificate',
};

export interface IamPlanOptions {
  partition: Partition;
  requestId: string;
  /** Roles only: also deny every session issued before `now`. */
  revokeSessions: boolean;
  /** ISO time used for the session revocation. */
  now: string;
  /** Users: delete the console password (a release cannot restore it). */
  deleteLoginProfile?: boolean;
}

/**
 * What a containment of a user or role applies on receipt, before observing (issue 13: the first
 * effect in one round trip): the inline deny-all and the containment tag, together. Both are
 * lockdown's own (a policy name observation sets apart; a `lockdown:` tag key nobody else may
 * write under the organization guard), so they need no observation and release removes them.
 */
export function receiptSteps(kind: ObservedPrincipal['kind'], name: string, requestId: string): PlannedStep[] {
  const api = kind === 'user' ? 'User' : 'Role';
  const principal = `${kind} ${name}`;
  return [
    {
      id: 'inline-deny-all',
      kind: 'inline-policy',
      description: `Put inline policy ${DENY_ALL_POLICY_NAME} (Deny * on *) on ${principal}`,
      stage: 0,
      params: { policyName: DENY_ALL_POLICY_NAME, document: DENY_ALL_DOCUMENT },
      original: null,
      calls: { apply: [`iam:Get${api}Policy`, `iam:Put${api}Policy`], undo: [`iam:Delete${api}Policy`] },
    },
    {
      id: 'tag',
      kind: 'tag',
      description: `Tag ${principal} ${CONTAINMENT_TAG}=${requestId}`,
      stage: 0,
      params: { key: CONTAINMENT_TAG, value: requestId },
      original: null,
      calls: { apply: [`iam:Tag${api}`], undo: [`iam:Untag${api}`] },
    },
  ];
}

/**
 * Plans the containment of an IAM user or role from what was observed. Pure.
 *
 * 1. (stage 0, on receipt: see receiptSteps) an inline deny-all named by lockdown and the
 *    containment tag;
 * 2. (stage 1, in parallel) AWSDenyAll as the permissions boundary (no quota keeps it out: the
 *    fallback that holds when an attacker filled the principal's policy, size and tag quotas) and
 *    attached as well (any one deny alone contains), every
 *    active access key and other credential deactivated; for roles optionally a deny on sessions
 *    issued before now, which release keeps (that is what revoking sessions means).
 */
export function planIamContainment(observed: ObservedPrincipal, options: IamPlanOptions): PlannedStep[] {
  const api = observed.kind === 'user' ? 'User' : 'Role';
  const principal = `${observed.kind} ${observed.name}`;
  const steps: PlannedStep[] = [];
  const denyAll = awsDenyAllArn(options.partition);
  if (observed.permissionsBoundary !== denyAll)
    steps.push({
      id: 'deny-all-boundary',
      kind: 'permissions-boundary',
      description: `Put AWSDenyAll as the permissions boundary of ${principal}`,
      stage: 1,
      params: { policyArn: denyAll },
      original: observed.permissionsBoundary,
      calls: {
        apply: [`iam:Put${api}PermissionsBoundary`],
        undo: [observed.permissionsBoundary === null ? `iam:Delete${api}PermissionsBoundary` : `iam:Put${api}PermissionsBoundary`],
      },
    });
  if (!observed.attachedPolicies.includes(denyAll))
    steps.push({
      id: 'attach-aws-deny-all',
      kind: 'managed-policy',
      description: `Attach AWSDenyAll to ${principal}`,
      stage: 1,
      params: { policyArn: denyAll },
      original: false,
      calls: { apply: [`iam:Attach${api}Policy`], undo: [`iam:Detach${api}Policy`] },
    });
  for (const key of observed.accessKeys.filter((k) => k.status === 'Active'))
    steps.push({
      id: `deactivate-key:${key.id}`,
      kind: 'access-key',
      description: `Deactivate access key ${key.id}`,
      stage: 1,
      params: { accessKeyId: key.id },
      original: 'Active',
      calls: { apply: ['iam:UpdateAccessKey'], undo: ['iam:UpdateAccessKey'] },
    });
  for (const credential of observed.otherCredentials.filter((c) => c.status === 'Active'))
    steps.push({
      id: `deactivate-${credential.type}:${credential.id}`,
      kind: 'other-credential',
      description: `Deactivate ${credential.type.replaceAll('-', ' ')} ${credential.id}`,
      stage: 1,
      params: { type: credential.type, id: credential.id },
      original: 'Active',
      calls: { apply: [CREDENTIAL_CALLS[credential.type]], undo: [CREDENTIAL_CALLS[credential.type]] },
    });
  if (observed.kind === 'user' && options.deleteLoginProfile && observed.loginProfile)
    steps.push({
      id: 'delete-login-profile',
      kind: 'login-profile',
      description: `Delete the console password of ${principal} (a release cannot restore it)`,
      stage: 1,
      params: { userName: observed.name },
      original: 'present',
      calls: { apply: ['iam:DeleteLoginProfile'], undo: [] },
    });
  if (observed.kind === 'role' && options.revokeSessions)
    steps.push({
      id: 'revoke-older-sessions',
      kind: 'kept-inline-policy',
      description: `Deny sessions of ${principal} issued before ${options.now} (kept on release)`,
      stage: 1,
      params: { policyName: REVOKE_SESSIONS_POLICY_NAME, document: revokeSessionsDocument(options.now) },
      original: null,
      calls: { apply: [`iam:Put${api}Policy`], undo: [] },
    });
  const [deny, tag] = receiptSteps(observed.kind, observed.name, options.requestId);
  return [deny!, ...steps, tag!];
}

/** Containment holds while at least one deny-all is in effect: the inline deny, AWSDenyAll attached, or AWSDenyAll as the boundary. */
export function iamContainmentGaps(observed: ObservedPrincipal, partition: Partition): string[] {
  const denyAll = awsDenyAllArn(partition);
  const denied =
    observed.lockdownPolicies.includes(DENY_ALL_POLICY_NAME) ||
    observed.attachedPolicies.includes(denyAll) ||
    observed.permissionsBoundary === denyAll;
  return denied
    ? []
    : [`neither ${DENY_ALL_POLICY_NAME} nor AWSDenyAll (attached or as the boundary) is in effect on ${observed.kind} ${observed.name}`];
}
