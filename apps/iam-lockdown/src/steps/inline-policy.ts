import { putOwnInlinePolicy } from '@lockdown/aws';
import { errorMessage, isForeignName, isLimitExceeded, defineStepKind } from '@lockdown/containment';
import { object, string } from 'zod/mini';
import type { PrincipalApi } from '../adapters/iam-principal-api';
import type { ObservedPrincipal } from '../domain/observed';

const params = object({ policyName: string(), document: string() });

/**
 * lockdown's inline deny on the user or role (named by lockdown, and its document read back, so
 * observation tells it apart). Never put over a policy of that name lockdown did not write: that
 * one is kept (a skipped step is not undone at release), and containment relies on AWSDenyAll.
 */
export const inlinePolicy = defineStepKind<PrincipalApi, ObservedPrincipal, { policyName: string; document: string }>({
  kind: 'inline-policy',
  params,
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

/** An inline deny that outlives the containment: revoked sessions stay revoked after release. */
export const keptInlinePolicy = defineStepKind<PrincipalApi, ObservedPrincipal, { policyName: string; document: string }>({
  kind: 'kept-inline-policy',
  params,
  apply: (api, p) => api.putInline(p.policyName, p.document),
  undo: async () => undefined,
  inEffect: (state, p) => state.lockdownPolicies.includes(p.policyName),
  skipReason: (error) => (isLimitExceeded(error) ? 'the inline policy size quota is full; containment relies on AWSDenyAll' : undefined),
});
