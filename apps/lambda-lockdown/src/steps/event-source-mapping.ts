import { defineStepKind } from '@lockdown/containment';
import { object, string } from 'zod/mini';
import type { FunctionContext } from '../adapters/lambda-containment';
import type { ObservedFunction } from '../domain/observed';

/** An enabled event source mapping disabled; release enables exactly this one again. */
export const eventSourceMapping = defineStepKind<FunctionContext, ObservedFunction, { uuid: string }>({
  kind: 'event-source-mapping',
  params: object({ uuid: string() }),
  apply: async ({ api }, p) => void (await api.setMappingEnabled(p.uuid, false)),
  undo: ({ api }, p) => api.enableMapping(p.uuid),
  // A mapping deleted since delivers nothing: contained too.
  inEffect: (state, p) => ['Disabled', 'Disabling', undefined].includes(state.eventSourceMappings.find((m) => m.uuid === p.uuid)?.state),
});
