import { defineStepKind } from '@lockdown/containment';
import { object, string } from 'zod/mini';
import type { InstanceContext } from '../adapters/ec2-containment';
import type { ObservedInstance } from '../domain/observed';

/** Out of its Auto Scaling group, desired capacity kept (the group does not terminate the evidence). */
export const autoScalingDetach = defineStepKind<InstanceContext, ObservedInstance, { groupName: string; instanceId: string }>({
  kind: 'auto-scaling-detach',
  params: object({ groupName: string(), instanceId: string() }),
  apply: async ({ api }, p) => void (await api.detachFromGroup(p.groupName)),
  // Re-attaching raises the group's desired capacity by one (AWS's rule), which keeps the
  // replacement the group launched in the meantime: the instance is back, nothing is terminated.
  undo: async ({ api }, p) => void (await api.attachToGroup(p.groupName)),
  inEffect: (state, p) => state.autoScalingGroup !== p.groupName,
});
