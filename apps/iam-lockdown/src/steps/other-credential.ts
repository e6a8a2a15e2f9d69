import type { PrincipalApi } from '../adapters/iam-principal-api';
import type { ObservedPrincipal } from '../domain/observed';
import * as kinds from '../domain/step-kinds';

export const otherCredential = kinds.otherCredential.implement<PrincipalApi, ObservedPrincipal>({
  apply: (api, p) => api.updateOtherCredential(p.type, p.id, 'Inactive'),
  undo: (api, p) => api.updateOtherCredential(p.type, p.id, 'Active'),
  // One deleted since can no longer be used: contained too.
  inEffect: (state, p) => state.otherCredentials.find((c) => c.type === p.type && c.id === p.id)?.status !== 'Active',
});
