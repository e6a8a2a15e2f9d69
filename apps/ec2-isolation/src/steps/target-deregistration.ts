import { defineStepKind } from '@lockdown/containment';
import { number, object, string } from 'zod/mini';
import type { InstanceContext } from '../adapters/ec2-containment';
import type { ObservedInstance } from '../domain/observed';

/** Out of one load-balancer target group on one port; release registers it back on that port. */
export const targetDeregistration = defineStepKind<
  InstanceContext,
  ObservedInstance,
  { targetGroupArn: string; port: number; instanceId: string }
>({
  kind: 'target-deregistration',
  params: object({ targetGroupArn: string(), port: number(), instanceId: string() }),
  apply: async ({ api }, p) => void (await api.deregisterTarget(p.targetGroupArn, p.port)),
  undo: async ({ api }, p) => void (await api.registerTarget(p.targetGroupArn, p.port)),
  inEffect: (state, p) => !(state.targetRegistrations ?? []).some((r) => r.targetGroupArn === p.targetGroupArn && r.port === p.port),
});
