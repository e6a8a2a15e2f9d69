import type { ObservedFunction } from '../domain/observed';
import * as kinds from '../domain/step-kinds';
import type { FunctionContext } from './context';

export const eventSourceMapping = kinds.eventSourceMapping.implement<FunctionContext, ObservedFunction>({
  apply: async ({ api }, p) => void (await api.setMappingEnabled(p.uuid, false)),
  undo: ({ api }, p) => api.enableMapping(p.uuid),
  // A mapping deleted since delivers nothing: contained too.
  inEffect: (state, p) => ['Disabled', 'Disabling', undefined].includes(state.eventSourceMappings.find((m) => m.uuid === p.uuid)?.state),
});
