import { isLimitExceeded, type ContainmentAdapter, type PlannedStep, type StepKind } from '@lockdown/containment';
import type { IamRoleRef, IamUserRef } from '@lockdown/contracts';
import { ObservedPrincipal } from '../domain/observed';
import { IamPlanOptions, iamContainmentGaps, planIamContainment } from '../domain/plan';
import { DENY_ALL_POLICY_NAME, isLockdownPolicyName } from '../domain/policies';
import { PrincipalApi } from './iam-principal-api';

type Kind = StepKind<PrincipalApi, ObservedPrincipal>;

const param = (step: PlannedStep, key: string) => String((step.params as Record<string, unknown>)[key]);

const inlinePolicy: Kind = {
  apply: (api, step) => api.putInline(param(step, 'policyName'), param(step, 'document')),
  undo: (api, step) => api.deleteInline(param(step, 'policyName')),
  inEffect: (state, step) => state.lockdownPolicies.includes(param(step, 'policyName')),
  skipReason: (error) =>
    isLimitExceeded(error) ? 'the inline policy size quota is full; containment relies on AWSDenyAll' : undefined,
};

const keptInlinePolicy: Kind = {
  ...inlinePolicy,
  // Revoking older sessions must outlive the containment: released credentials stay revoked.
  undo: async () => undefined,
};

const managedPolicy: Kind = {
  apply: (api, step) => api.attach(param(step, 'policyArn')),
  undo: (api, step) => api.detach(param(step, 'policyArn')),
  inEffect: (state, step) => state.attachedPolicies.includes(param(step, 'policyArn')),
  skipReason: (error) =>
    isLimitExceeded(error)
      ? `the managed-policy quota is full; containment relies on the inline ${DENY_ALL_POLICY_NAME}`
      : undefined,
};

const accessKey: Kind = {
  apply: (api, step) => api.updateAccessKey(param(step, 'accessKeyId'), 'Inactive'),
  undo: (api, step) => api.updateAccessKey(param(step, 'accessKeyId'), 'Active'),
  // A key deleted since can no longer be used: that is contained too.
  inEffect: (state, step) => state.accessKeys.find((k) => k.id === param(step, 'accessKeyId'))?.status !== 'Active',
};

const tag: Kind = {
  apply: (api, step) => api.tag(param(step, 'key'), param(step, 'value')),
  undo: (api, step) => (step.original === null ? api.untag(param(step, 'key')) : api.tag(param(step, 'key'), String(step.original))),
  inEffect: (state, step) => state.tags[param(step, 'key')] === param(step, 'value'),
};

/** Reads a user or role in one round trip (its calls run in parallel). */
export async function observePrincipal(api: PrincipalApi, entity: IamUserRef | IamRoleRef): Promise<ObservedPrincipal> {
  const [info, attachedPolicies, inline, accessKeys] = await Promise.all([api.get(), api.listAttached(), api.listInline(), api.listAccessKeys()]);
  return {
    kind: entity.type === 'iam-user' ? 'user' : 'role',
    name: entity.name,
    path: info.path,
    arn: info.arn,
    attachedPolicies: [...attachedPolicies].sort(),
    inlinePolicies: inline.filter((n) => !isLockdownPolicyName(n)).sort(),
    lockdownPolicies: inline.filter(isLockdownPolicyName).sort(),
    accessKeys,
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
    snapshot: ({ lockdownPolicies: _ours, ...state }) => ({ ...state, accessKeys: state.accessKeys.map((k) => ({ ...k })) }),
    kinds: { 'inline-policy': inlinePolicy, 'kept-inline-policy': keptInlinePolicy, 'managed-policy': managedPolicy, 'access-key': accessKey, tag },
    containmentGaps: (state) => iamContainmentGaps(state, entity.partition),
  };
}
