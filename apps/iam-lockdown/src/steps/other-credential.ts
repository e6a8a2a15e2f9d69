import { defineStepKind } from '@lockdown/containment';
import { enum as zEnum, object, string } from 'zod/mini';
import type { PrincipalApi } from '../adapters/iam-principal-api';
import type { ObservedPrincipal, OtherCredentialType } from '../domain/observed';

/** An active SSH public key, service-specific credential or signing certificate deactivated; release reactivates exactly it. */
export const otherCredential = defineStepKind<PrincipalApi, ObservedPrincipal, { type: OtherCredentialType; id: string }>({
  kind: 'other-credential',
  params: object({ type: zEnum(['ssh-public-key', 'service-specific-credential', 'signing-certificate']), id: string() }),
  apply: (api, p) => api.updateOtherCredential(p.type, p.id, 'Inactive'),
  undo: (api, p) => api.updateOtherCredential(p.type, p.id, 'Active'),
  // One deleted since can no longer be used: contained too.
  inEffect: (state, p) => state.otherCredentials.find((c) => c.type === p.type && c.id === p.id)?.status !== 'Active',
});
