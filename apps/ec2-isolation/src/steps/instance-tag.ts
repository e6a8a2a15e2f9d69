import type { ObservedInstance } from '../domain/observed';
import * as kinds from '../domain/step-kinds';
import type { InstanceContext } from './context';

export const instanceTag = kinds.instanceTag.implement<InstanceContext, ObservedInstance>({
  apply: async ({ api }, p) => void (await api.tag(p.key, p.value)),
  undo: async ({ api }, p, step) => void (await (step.original === null ? api.untag(p.key) : api.tag(p.key, String(step.original)))),
  inEffect: (state, p) => state.tags[p.key] === p.value,
});
