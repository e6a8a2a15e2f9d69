import { defineStepKind } from '@lockdown/containment';
import { object, string } from 'zod/mini';
import type { InstanceContext } from '../adapters/ec2-containment';
import type { ObservedInstance } from '../domain/observed';

/** The containment tag on the instance; release restores the previous value, or removes the tag. */
export const instanceTag = defineStepKind<InstanceContext, ObservedInstance, { instanceId: string; key: string; value: string }>({
  kind: 'instance-tag',
  params: object({ instanceId: string(), key: string(), value: string() }),
  apply: async ({ api }, p) => void (await api.tag(p.key, p.value)),
  undo: async ({ api }, p, step) => void (await (step.original === null ? api.untag(p.key) : api.tag(p.key, String(step.original)))),
  inEffect: (state, p) => state.tags[p.key] === p.value,
});
