import type { ObservedInstance } from '../domain/observed';
import * as kinds from '../domain/step-kinds';
import type { InstanceContext } from './context';

export const interfaceTag = kinds.interfaceTag.implement<InstanceContext, ObservedInstance>({
  apply: async ({ api }, p) => void (await api.tagInterface(p.interfaceId, p.key, p.value)),
  undo: async ({ api }, p) => void (await api.untagInterface(p.interfaceId, p.key)),
  inEffect: (state, p) => {
    const eni = state.interfaces.find((i) => i.id === p.interfaceId);
    // Detached or deleted since: it is no longer the instance's.
    return !eni || eni.tags[p.key] === p.value;
  },
});
