import { defineStepKind, isLimitExceeded } from '@lockdown/containment';
import { object, string } from 'zod/mini';
import type { PrincipalApi } from '../adapters/iam-principal-api';
import type { ObservedPrincipal } from '../domain/observed';
import { DENY_ALL_POLICY_NAME } from '../domain/policies';

/** AWSDenyAll attached to the user or role. */
export const managedPolicy = defineStepKind<PrincipalApi, ObservedPrincipal, { policyArn: string }>({
  kind: 'managed-policy',
  params: object({ policyArn: string() }),
  apply: (api, p) => api.attach(p.policyArn),
  undo: (api, p) => api.detach(p.policyArn),
  inEffect: (state, p) => state.attachedPolicies.includes(p.policyArn),
  skipReason: (error) =>
    isLimitExceeded(error)
      ? `the managed-policy quota is full; containment relies on the AWSDenyAll boundary and the inline ${DENY_ALL_POLICY_NAME}`
      : undefined,
});
