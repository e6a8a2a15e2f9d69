import { defineStepKind } from '@lockdown/containment';
import { object, string } from 'zod/mini';
import type { PrincipalApi } from '../adapters/iam-principal-api';
import type { ObservedPrincipal } from '../domain/observed';

/** The containment tag; release restores the previous value, or removes the tag. */
export const tag = defineStepKind<PrincipalApi, ObservedPrincipal, { key: string; value: string }>({
  kind: 'tag',
  params: object({ key: string(), value: string() }),
  apply: (api, p) => api.tag(p.key, p.value),
  undo: (api, p, step) => (step.original === null ? api.untag(p.key) : api.tag(p.key, String(step.original))),
  inEffect: (state, p) => state.tags[p.key] === p.value,
});
