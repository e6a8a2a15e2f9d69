import { isLimitExceeded } from '@lockdown/containment';
import type { PrincipalApi } from '../adapters/iam-principal-api';
import type { ObservedPrincipal } from '../domain/observed';
import { DENY_ALL_POLICY_NAME } from '../domain/policies';
import * as kinds from '../domain/step-kinds';

export const managedPolicy = kinds.managedPolicy.implement<PrincipalApi, ObservedPrincipal>({
  apply: (api, p) => api.attach(p.policyArn),
  undo: (api, p) => api.detach(p.policyArn),
  inEffect: (state, p) => state.attachedPolicies.includes(p.policyArn),
  skipReason: (error) =>
    isLimitExceeded(error)
      ? `the managed-policy quota is full; containment relies on the AWSDenyAll boundary and the inline ${DENY_ALL_POLICY_NAME}`
      : undefined,
});
