import type { ObservedFunction } from '../domain/observed';
import * as kinds from '../domain/step-kinds';
import type { FunctionContext } from './context';

export const functionTag = kinds.functionTag.implement<FunctionContext, ObservedFunction>({
  apply: ({ api }, p) => api.tag(p.key, p.value),
  undo: ({ api }, p, step) => (step.original === null ? api.untag(p.key) : api.tag(p.key, String(step.original))),
  inEffect: (state, p) => state.tags[p.key] === p.value,
});
