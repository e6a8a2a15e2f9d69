import type { ObservedFunction } from '../domain/observed';
import * as kinds from '../domain/step-kinds';
import type { FunctionContext } from './context';

export const mappingTag = kinds.mappingTag.implement<FunctionContext, ObservedFunction>({
  apply: ({ api }, p) => api.tagResource(p.mappingArn, p.key, p.value),
  undo: ({ api }, p) => api.untagResource(p.mappingArn, p.key),
  inEffect: (state, p) => {
    const tags = state.mappingTags?.[p.mappingArn];
    // Deleted since (null: it delivers nothing) or not read (only an observation without `recall`, before any plan).
    return tags === undefined || tags === null || tags[p.key] === p.value;
  },
});
