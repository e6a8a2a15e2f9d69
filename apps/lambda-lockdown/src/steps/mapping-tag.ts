import { defineStepKind } from '@lockdown/containment';
import { object, string } from 'zod/mini';
import type { FunctionContext } from '../adapters/lambda-containment';
import type { ObservedFunction } from '../domain/observed';

/**
 * The containment tag on one event source mapping lockdown disables (the organization guard
 * freezes tagged mappings: AWS authorizes UpdateEventSourceMapping on the mapping, not the
 * function); release removes it.
 */
export const mappingTag = defineStepKind<FunctionContext, ObservedFunction, { mappingArn: string; key: string; value: string }>({
  kind: 'mapping-tag',
  params: object({ mappingArn: string(), key: string(), value: string() }),
  apply: ({ api }, p) => api.tagResource(p.mappingArn, p.key, p.value),
  undo: ({ api }, p) => api.untagResource(p.mappingArn, p.key),
  inEffect: (state, p) => {
    const tags = state.mappingTags?.[p.mappingArn];
    // Deleted since (null: it delivers nothing) or not read (only an observation without `recall`, before any plan).
    return tags === undefined || tags === null || tags[p.key] === p.value;
  },
});
