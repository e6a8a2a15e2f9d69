import { defineStepKind } from '@lockdown/containment';
import { object, string } from 'zod/mini';
import type { FunctionContext } from '../adapters/lambda-containment';
import type { ObservedFunction } from '../domain/observed';

/** The containment tag on the function (the organization guard keys on it); release restores the previous value. */
export const functionTag = defineStepKind<FunctionContext, ObservedFunction, { key: string; value: string }>({
  kind: 'function-tag',
  params: object({ key: string(), value: string() }),
  apply: ({ api }, p) => api.tag(p.key, p.value),
  undo: ({ api }, p, step) => (step.original === null ? api.untag(p.key) : api.tag(p.key, String(step.original))),
  inEffect: (state, p) => state.tags[p.key] === p.value,
});
