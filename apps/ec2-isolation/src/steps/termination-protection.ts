import { defineStepKind } from '@lockdown/containment';
import { object, string } from 'zod/mini';
import type { InstanceContext } from '../adapters/ec2-containment';
import type { ObservedInstance } from '../domain/observed';

/** Termination protection on (keep the evidence); release restores the previous setting. */
export const terminationProtection = defineStepKind<InstanceContext, ObservedInstance, { instanceId: string }>({
  kind: 'termination-protection',
  params: object({ instanceId: string() }),
  apply: async ({ api }) => void (await api.setTerminationProtection(true)),
  undo: async ({ api }, _p, step) => void (await api.setTerminationProtection(Boolean(step.original))),
  inEffect: (state) => state.terminationProtection,
});
