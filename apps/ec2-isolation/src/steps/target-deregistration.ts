import type { ObservedInstance } from '../domain/observed';
import * as kinds from '../domain/step-kinds';
import type { InstanceContext } from './context';

export const targetDeregistration = kinds.targetDeregistration.implement<InstanceContext, ObservedInstance>({
  apply: async ({ api }, p) => void (await api.deregisterTarget(p.targetGroupArn, p.port)),
  undo: async ({ api }, p) => void (await api.registerTarget(p.targetGroupArn, p.port)),
  inEffect: (state, p) => !(state.targetRegistrations ?? []).some((r) => r.targetGroupArn === p.targetGroupArn && r.port === p.port),
});
