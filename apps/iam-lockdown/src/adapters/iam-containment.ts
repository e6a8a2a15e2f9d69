import { stepKinds, type ContainmentAdapter } from '@lockdown/containment';
import type { IamRoleRef, IamUserRef } from '@lockdown/contracts';
import { ObservedPrincipal } from '../domain/observed';
import { IamPlanOptions, iamContainmentGaps, planIamContainment } from '../domain/plan';
import { isLockdownPolicyName } from '../domain/policies';
import { accessKey } from '../steps/access-key';
import { inlinePolicy, keptInlinePolicy } from '../steps/inline-policy';
import { managedPolicy } from '../steps/managed-policy';
import { otherCredential } from '../steps/other-credential';
import { tag } from '../steps/tag';
import { PrincipalApi } from './iam-principal-api';

/** Reads a user or role in one round trip (its calls run in parallel). */
export async function observePrincipal(api: PrincipalApi, entity: IamUserRef | IamRoleRef): Promise<ObservedPrincipal> {
  const [info, attachedPolicies, inline, accessKeys, otherCredentials] = await Promise.all([
    api.get(),
    api.listAttached(),
    api.listInline(),
    api.listAccessKeys(),
    api.listOtherCredentials(),
  ]);
  return {
    kind: entity.type === 'iam-user' ? 'user' : 'role',
    name: entity.name,
    path: info.path,
    arn: info.arn,
    attachedPolicies: [...attachedPolicies].sort(),
    inlinePolicies: inline.filter((n) => !isLockdownPolicyName(n)).sort(),
    lockdownPolicies: inline.filter(isLockdownPolicyName).sort(),
    accessKeys,
    otherCredentials,
    tags: info.tags,
  };
}

export function iamContainmentAdapter(
  entity: IamUserRef | IamRoleRef,
  options: Omit<IamPlanOptions, 'partition'>,
): ContainmentAdapter<PrincipalApi, ObservedPrincipal> {
  return {
    observe: (api) => observePrincipal(api, entity),
    plan: (state) => planIamContainment(state, { ...options, partition: entity.partition }),
    snapshot: ({ lockdownPolicies: _ours, ...state }) => ({
      ...state,
      accessKeys: state.accessKeys.map((k) => ({ ...k })),
      otherCredentials: state.otherCredentials.map((c) => ({ ...c })),
    }),
    kinds: stepKinds<PrincipalApi, ObservedPrincipal>(inlinePolicy, keptInlinePolicy, managedPolicy, accessKey, otherCredential, tag),
    containmentGaps: (state) => iamContainmentGaps(state, entity.partition),
  };
}
