import type { ObservedInstance } from '../domain/observed';
import * as kinds from '../domain/step-kinds';
import type { InstanceContext } from './context';

export const terminationProtection = kinds.terminationProtection.implement<InstanceContext, ObservedInstance>({
  apply: async ({ api }) => void (await api.setTerminationProtection(true)),
  undo: async ({ api }, _p, step) => void (await api.setTerminationProtection(Boolean(step.original))),
  inEffect: (state) => state.terminationProtection,
});
