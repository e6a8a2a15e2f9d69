import { defineStepKind } from '@lockdown/containment';
import { object, string } from 'zod/mini';
import type { InstanceContext } from '../adapters/ec2-containment';
import type { ObservedInstance } from '../domain/observed';

/** A forensic snapshot of one volume, kept when the instance is released. */
export const snapshot = defineStepKind<InstanceContext, ObservedInstance, { volumeId: string; instanceId: string; requestId: string }>({
  kind: 'snapshot',
  params: object({ volumeId: string(), instanceId: string(), requestId: string() }),
  apply: async ({ api }, p) => void (await api.snapshot(p.volumeId, p.requestId)),
  undo: async () => undefined,
  inEffect: () => true,
});
