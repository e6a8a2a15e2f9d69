import { defineStepKind } from '@lockdown/containment';
import { object, string } from 'zod/mini';
import type { InstanceContext } from '../adapters/ec2-containment';
import type { ObservedInstance } from '../domain/observed';

/** The containment tag on one interface lockdown moves; release removes it. */
export const interfaceTag = defineStepKind<InstanceContext, ObservedInstance, { interfaceId: string; key: string; value: string }>({
  kind: 'interface-tag',
  params: object({ interfaceId: string(), key: string(), value: string() }),
  apply: async ({ api }, p) => void (await api.tagInterface(p.interfaceId, p.key, p.value)),
  undo: async ({ api }, p) => void (await api.untagInterface(p.interfaceId, p.key)),
  inEffect: (state, p) => {
    const eni = state.interfaces.find((i) => i.id === p.interfaceId);
    // Detached or deleted since: it is no longer the instance's.
    return !eni || eni.tags[p.key] === p.value;
  },
});
