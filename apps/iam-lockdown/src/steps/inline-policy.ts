import { putOwnInlinePolicy } from '@lockdown/aws';
import { errorMessage, isForeignName, isLimitExceeded } from '@lockdown/containment';
import type { PrincipalApi } from '../adapters/iam-principal-api';
import type { ObservedPrincipal } from '../domain/observed';
import * as kinds from '../domain/step-kinds';

export const inlinePolicy = kinds.inlinePolicy.implement<PrincipalApi, ObservedPrincipal>({
  apply: (api, p) =>
    putOwnInlinePolicy({
      where: 'the principal',
      name: p.policyName,
      document: p.document,
      read: () => api.getInline(p.policyName),
      put: () => api.putInline(p.policyName, p.document),
    }),
  undo: (api, p) => api.deleteInline(p.policyName),
  inEffect: (state, p) => state.lockdownPolicies.includes(p.policyName),
  skipReason: (error) =>
    isLimitExceeded(error)
      ? 'the inline policy size quota is full; containment relies on AWSDenyAll'
      : isForeignName(error)
        ? `${errorMessage(error)}; containment relies on AWSDenyAll`
        : undefined,
});

export const keptInlinePolicy = kinds.keptInlinePolicy.implement<PrincipalApi, ObservedPrincipal>({
  apply: (api, p) => api.putInline(p.policyName, p.document),
  undo: async () => undefined,
  inEffect: (state, p) => state.lockdownPolicies.includes(p.policyName),
  skipReason: (error) => (isLimitExceeded(error) ? 'the inline policy size quota is full; containment relies on AWSDenyAll' : undefined),
});
