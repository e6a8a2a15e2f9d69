import type { PrincipalApi } from '../adapters/iam-principal-api';
import type { ObservedPrincipal } from '../domain/observed';
import * as kinds from '../domain/step-kinds';

export const tag = kinds.tag.implement<PrincipalApi, ObservedPrincipal>({
  apply: (api, p) => api.tag(p.key, p.value),
  undo: (api, p, step) => (step.original === null ? api.untag(p.key) : api.tag(p.key, String(step.original))),
  inEffect: (state, p) => state.tags[p.key] === p.value,
});
