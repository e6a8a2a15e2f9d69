import { stepKinds, type ContainmentAdapter } from '@lockdown/containment';
import { CONTAINMENT_TAG, type IamRoleRef, type IamUserRef } from '@lockdown/contracts';
import { ObservedPrincipal } from '../domain/observed';
import { IamPlanOptions, iamContainmentGaps, planIamContainment, receiptSteps } from '../domain/plan';
import { DENY_ALL_DOCUMENT, DENY_ALL_POLICY_NAME, isLockdownPolicyName } from '../domain/policies';
import { sameDocument } from '@lockdown/aws';
import { accessKey } from '../steps/access-key';
import { inlinePolicy, keptInlinePolicy } from '../steps/inline-policy';
import { managedPolicy } from '../steps/managed-policy';
import { permissionsBoundary } from '../steps/permissions-boundary';
import { loginProfile } from '../steps/login-profile';
import { otherCredential } from '../steps/other-credential';
import { tag } from '../steps/tag';
import { PrincipalApi } from './iam-principal-api';

/** Reads a user or role in one round trip (its calls run in parallel). */
export async function observePrincipal(
  api: PrincipalApi,
  entity: IamUserRef | IamRoleRef,
  options: { deleteLoginProfile?: boolean } = {},
): Promise<ObservedPrincipal> {
  const readsLoginProfile = entity.type === 'iam-user' && options.deleteLoginProfile === true;
  const [info, attachedPolicies, inline, denyDocument, accessKeys, otherCredentials, loginProfile] = await Promise.all([
    api.get(),
    api.listAttached(),
    api.listInline(),
    // Read with the list (no extra round trip): a policy with the deny's name is lockdown's only with lockdown's document.
    api.getInline(DENY_ALL_POLICY_NAME),
    api.listAccessKeys(),
    api.listOtherCredentials(),
    readsLoginProfile ? api.hasLoginProfile() : undefined,
  ]);
  const ownDeny = denyDocument !== undefined && sameDocument(decodeURIComponent(denyDocument), DENY_ALL_DOCUMENT);
  const ours = (name: string) => isLockdownPolicyName(name) && (name !== DENY_ALL_POLICY_NAME || ownDeny);
  return {
    kind: entity.type === 'iam-user' ? 'user' : 'role',
    name: entity.name,
    path: info.path,
    arn: info.arn,
    attachedPolicies: [...attachedPolicies].sort(),
    inlinePolicies: inline.filter((n) => !ours(n)).sort(),
    lockdownPolicies: inline.filter(ours).sort(),
    accessKeys,
    otherCredentials,
    tags: info.tags,
    permissionsBoundary: info.boundary,
    ...(loginProfile !== undefined ? { loginProfile } : {}),
  };
}

export function iamContainmentAdapter(
  entity: IamUserRef | IamRoleRef,
  options: Omit<IamPlanOptions, 'partition'>,
): ContainmentAdapter<PrincipalApi, ObservedPrincipal> {
  return {
    observe: (api) => observePrincipal(api, entity, options),
    plan: (state) => planIamContainment(state, { ...options, partition: entity.partition }),
    onReceipt: () => receiptSteps(entity.type === 'iam-user' ? 'user' : 'role', entity.name, options.requestId),
    // lockdown's own policies and containment tag are not the entity's state (observation may
    // already see what was applied on receipt).
    snapshot: ({ lockdownPolicies: _ours, tags: { [CONTAINMENT_TAG]: _tag, ...tags }, ...state }) => ({
      ...state,
      tags,
      accessKeys: state.accessKeys.map((k) => ({ ...k })),
      otherCredentials: state.otherCredentials.map((c) => ({ ...c })),
    }),
    kinds: stepKinds<PrincipalApi, ObservedPrincipal>(
      inlinePolicy,
      keptInlinePolicy,
      managedPolicy,
      permissionsBoundary,
      accessKey,
      otherCredential,
      tag,
      loginProfile,
    ),
    containmentGaps: (state) => iamContainmentGaps(state, entity.partition),
  };
}
