import { defineStepKind } from '@lockdown/containment';
import { object, string } from 'zod/mini';
import type { FunctionContext } from '../adapters/lambda-containment';
import type { ObservedFunction } from '../domain/observed';

/** Reserved concurrency 0: the function cannot run; release restores the previous value or none. */
export const concurrency = defineStepKind<FunctionContext, ObservedFunction, { functionArn: string }>({
  kind: 'concurrency',
  params: object({ functionArn: string() }),
  apply: ({ api }) => api.putConcurrency(0),
  undo: ({ api }, _p, step) => (step.original === null ? api.deleteConcurrency() : api.putConcurrency(Number(step.original))),
  inEffect: (state) => state.reservedConcurrency === 0,
});
