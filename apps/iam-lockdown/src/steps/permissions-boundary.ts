import { defineStepKind } from '@lockdown/containment';
import { object, string } from 'zod/mini';
import type { PrincipalApi } from '../adapters/iam-principal-api';
import type { ObservedPrincipal } from '../domain/observed';

/**
 * AWSDenyAll as the user's or role's permissions boundary: it takes no quota slot, so no policy,
 * tag or size quota an attacker filled keeps it out, and nothing outside it is allowed whatever
 * the identity policies say. Release puts the previous boundary back, or deletes it when there was none.
 */
export const permissionsBoundary = defineStepKind<PrincipalApi, ObservedPrincipal, { policyArn: string }>({
  kind: 'permissions-boundary',
  params: object({ policyArn: string() }),
  apply: (api, p) => api.putBoundary(p.policyArn),
  undo: (api, _p, step) => (step.original === null ? api.deleteBoundary() : api.putBoundary(String(step.original))),
  inEffect: (state, p) => state.permissionsBoundary === p.policyArn,
});
