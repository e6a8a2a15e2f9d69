import { defineStepKind } from '@lockdown/containment';
import { object, string } from 'zod/mini';
import type { PrincipalApi } from '../adapters/iam-principal-api';
import type { ObservedPrincipal } from '../domain/observed';

/** An active access key deactivated; release reactivates exactly this key. */
export const accessKey = defineStepKind<PrincipalApi, ObservedPrincipal, { accessKeyId: string }>({
  kind: 'access-key',
  params: object({ accessKeyId: string() }),
  apply: (api, p) => api.updateAccessKey(p.accessKeyId, 'Inactive'),
  undo: (api, p) => api.updateAccessKey(p.accessKeyId, 'Active'),
  // A key deleted since can no longer be used: that is contained too.
  inEffect: (state, p) => state.accessKeys.find((k) => k.id === p.accessKeyId)?.status !== 'Active',
});
