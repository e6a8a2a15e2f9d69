import type { PrincipalApi } from '../adapters/iam-principal-api';
import type { ObservedPrincipal } from '../domain/observed';
import * as kinds from '../domain/step-kinds';

export const permissionsBoundary = kinds.permissionsBoundary.implement<PrincipalApi, ObservedPrincipal>({
  apply: (api, p) => api.putBoundary(p.policyArn),
  undo: (api, _p, step) => (step.original === null ? api.deleteBoundary() : api.putBoundary(String(step.original))),
  inEffect: (state, p) => state.permissionsBoundary === p.policyArn,
});
