import type { ObservedFunction } from '../domain/observed';
import * as kinds from '../domain/step-kinds';
import type { FunctionContext } from './context';

export const concurrency = kinds.concurrency.implement<FunctionContext, ObservedFunction>({
  apply: ({ api }) => api.putConcurrency(0),
  undo: ({ api }, _p, step) => (step.original === null ? api.deleteConcurrency() : api.putConcurrency(Number(step.original))),
  inEffect: (state) => state.reservedConcurrency === 0,
});
