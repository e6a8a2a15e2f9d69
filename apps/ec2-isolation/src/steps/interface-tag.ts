import { defineStepKind } from '@lockdown/containment';
import { array, object, string } from 'zod/mini';
import type { InstanceContext } from '../adapters/ec2-containment';
import type { ObservedInstance } from '../domain/observed';

/** The containment tag on every interface lockdown moves (one CreateTags call); release removes it. */
export const interfaceTag = defineStepKind<InstanceContext, ObservedInstance, { interfaceIds: string[]; key: string; value: string }>({
  kind: 'interface-tag',
  params: object({ interfaceIds: array(string()), key: string(), value: string() }),
  apply: async ({ api }, p) => void (await api.tagInterfaces(p.interfaceIds, p.key, p.value)),
  undo: async ({ api }, p) => void (await api.untagInterfaces(p.interfaceIds, p.key)),
  // An interface detached since is no longer the instance's: only the attached ones must carry it.
  inEffect: (state, p) => state.interfaces.filter((i) => p.interfaceIds.includes(i.id)).every((i) => i.tags[p.key] === p.value),
});
