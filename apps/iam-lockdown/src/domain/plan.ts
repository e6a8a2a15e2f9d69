import type { PlannedStep } from '@lockdown/containment';
import { CONTAINMENT_TAG, type Partition } from '@lockdown/contracts';
import { ObservedPrincipal, OtherCredentialType } from './observed';
import { DENY_ALL_DOCUMENT, DENY_ALL_POLICY_NAME, REVOKE_SESSIONS_POLICY_NAME, awsDenyAllArn, revokeSessionsDocument } from './policies';
import * as kinds from './step-kinds';

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
    kinds.inlinePolicy.step(
      {
        id: 'inline-deny-all',
        description: `Put inline policy ${DENY_ALL_POLICY_NAME} (Deny * on *) on ${principal}`,
        stage: 0,
        original: null,
        calls: { apply: [`iam:Get${api}Policy`, `iam:Put${api}Policy`], undo: [`iam:Delete${api}Policy`] },
      },
      { policyName: DENY_ALL_POLICY_NAME, document: DENY_ALL_DOCUMENT },
    ),
    kinds.tag.step(
      {
        id: 'tag',
        description: `Tag ${principal} ${CONTAINMENT_TAG}=${requestId}`,
        stage: 0,
        original: null,
        calls: { apply: [`iam:Tag${api}`], undo: [`iam:Untag${api}`] },
      },
      { key: CONTAINMENT_TAG, value: requestId },
    ),
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
    steps.push(
      kinds.permissionsBoundary.step(
        {
          id: 'deny-all-boundary',
          description: `Put AWSDenyAll as the permissions boundary of ${principal}`,
          stage: 1,
          original: observed.permissionsBoundary,
          calls: {
            apply: [`iam:Put${api}PermissionsBoundary`],
            undo: [observed.permissionsBoundary === null ? `iam:Delete${api}PermissionsBoundary` : `iam:Put${api}PermissionsBoundary`],
          },
        },
        { policyArn: denyAll },
      ),
    );
  if (!observed.attachedPolicies.includes(denyAll))
    steps.push(
      kinds.managedPolicy.step(
        {
          id: 'attach-aws-deny-all',
          description: `Attach AWSDenyAll to ${principal}`,
          stage: 1,
          original: false,
          calls: { apply: [`iam:Attach${api}Policy`], undo: [`iam:Detach${api}Policy`] },
        },
        { policyArn: denyAll },
      ),
    );
  for (const key of observed.accessKeys.filter((k) => k.status === 'Active'))
    steps.push(
      kinds.accessKey.step(
        {
          id: `deactivate-key:${key.id}`,
          description: `Deactivate access key ${key.id}`,
          stage: 1,
          original: 'Active',
          calls: { apply: ['iam:UpdateAccessKey'], undo: ['iam:UpdateAccessKey'] },
        },
        { accessKeyId: key.id },
      ),
    );
  for (const credential of observed.otherCredentials.filter((c) => c.status === 'Active'))
    steps.push(
      kinds.otherCredential.step(
        {
          id: `deactivate-${credential.type}:${credential.id}`,
          description: `Deactivate ${credential.type.replaceAll('-', ' ')} ${credential.id}`,
          stage: 1,
          original: 'Active',
          calls: { apply: [CREDENTIAL_CALLS[credential.type]], undo: [CREDENTIAL_CALLS[credential.type]] },
        },
        { type: credential.type, id: credential.id },
      ),
    );
  if (observed.kind === 'user' && options.deleteLoginProfile && observed.loginProfile)
    steps.push(
      kinds.loginProfile.step(
        {
          id: 'delete-login-profile',
          description: `Delete the console password of ${principal} (a release cannot restore it)`,
          stage: 1,
          original: 'present',
          calls: { apply: ['iam:DeleteLoginProfile'], undo: [] },
        },
        { userName: observed.name },
      ),
    );
  if (observed.kind === 'role' && options.revokeSessions)
    steps.push(
      kinds.keptInlinePolicy.step(
        {
          id: 'revoke-older-sessions',
          description: `Deny sessions of ${principal} issued before ${options.now} (kept on release)`,
          stage: 1,
          original: null,
          calls: { apply: [`iam:Put${api}Policy`], undo: [] },
        },
        { policyName: REVOKE_SESSIONS_POLICY_NAME, document: revokeSessionsDocument(options.now) },
      ),
    );
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
