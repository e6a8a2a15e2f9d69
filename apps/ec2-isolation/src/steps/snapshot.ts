import type { ObservedInstance } from '../domain/observed';
import * as kinds from '../domain/step-kinds';
import type { InstanceContext } from './context';

export const snapshot = kinds.snapshot.implement<InstanceContext, ObservedInstance>({
  apply: async ({ api }, p) => void (await api.snapshot(p.volumeId, p.requestId)),
  undo: async () => undefined,
  inEffect: () => true,
});
