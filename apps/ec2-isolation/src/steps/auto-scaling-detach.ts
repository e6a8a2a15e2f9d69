import type { ObservedInstance } from '../domain/observed';
import * as kinds from '../domain/step-kinds';
import type { InstanceContext } from './context';

export const autoScalingDetach = kinds.autoScalingDetach.implement<InstanceContext, ObservedInstance>({
  apply: async ({ api }, p) => void (await api.detachFromGroup(p.groupName)),
  // Re-attaching raises the group's desired capacity by one (AWS's rule), which keeps the
  // replacement the group launched in the meantime: the instance is back, nothing is terminated.
  undo: async ({ api }, p) => void (await api.attachToGroup(p.groupName)),
  inEffect: (state, p) => state.autoScalingGroup !== p.groupName,
});
