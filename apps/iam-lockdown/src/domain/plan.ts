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
/** The IAM API's word for the principal's kind (PutUserPolicy, PutRolePolicy) and how a description names it. */
const namesOf = (kind: ObservedPrincipal['kind'], name: string) => ({
  api: kind === 'user' ? 'User' : 'Role',
  principal: `${kind} ${name}`,
});

export function receiptSteps(kind: ObservedPrincipal['kind'], name: string, requestId: string): PlannedStep[] {
  const { api, principal } = namesOf(kind, name);
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
  const [deny, tag] = receiptSteps(observed.kind, observed.name, options.requestId);
  return [deny!, ...denyAllSteps(observed, options.partition), ...credentialSteps(observed), ...optionSteps(observed, options), tag!];
}

/** AWSDenyAll as the permissions boundary and attached, where it is not already. */
function denyAllSteps(observed: ObservedPrincipal, partition: Partition): PlannedStep[] {
  const { api, principal } = namesOf(observed.kind, observed.name);
  const denyAll = awsDenyAllArn(partition);
  const steps: PlannedStep[] = [];
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
  return steps;
}

/** Every active access key and other credential deactivated (release reactivates exactly those). */
function credentialSteps(observed: ObservedPrincipal): PlannedStep[] {
  const steps: PlannedStep[] = [];
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
  return steps;
}

/** The operator's options: a user's console password deleted, a role's older sessions denied. */
function optionSteps(observed: ObservedPrincipal, options: IamPlanOptions): PlannedStep[] {
  const { api, principal } = namesOf(observed.kind, observed.name);
  const steps: PlannedStep[] = [];
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
  return steps;
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
