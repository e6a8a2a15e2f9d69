import type { PrincipalApi } from '../adapters/iam-principal-api';
import type { ObservedPrincipal } from '../domain/observed';
import * as kinds from '../domain/step-kinds';

export const accessKey = kinds.accessKey.implement<PrincipalApi, ObservedPrincipal>({
  apply: (api, p) => api.updateAccessKey(p.accessKeyId, 'Inactive'),
  undo: (api, p) => api.updateAccessKey(p.accessKeyId, 'Active'),
  // A key deleted since can no longer be used: that is contained too.
  inEffect: (state, p) => state.accessKeys.find((k) => k.id === p.accessKeyId)?.status !== 'Active',
});
