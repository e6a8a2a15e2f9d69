import { defineStepKind } from '@lockdown/containment';
import { number, object, string } from 'zod/mini';
import type { InstanceContext } from '../adapters/ec2-containment';
import type { ConnectionTracking, ObservedInstance } from '../domain/observed';

const tracking = object({ TcpEstablishedTimeout: number(), UdpStreamTimeout: number(), UdpTimeout: number() });

/** One interface's connection-tracking timeouts at their minimums; release restores its own. */
export const eniTracking = defineStepKind<InstanceContext, ObservedInstance, { networkInterfaceId: string; tracking: ConnectionTracking }>({
  kind: 'eni-tracking',
  params: object({ networkInterfaceId: string(), tracking }),
  apply: async ({ api }, p) => void (await api.setTracking(p.networkInterfaceId, p.tracking)),
  undo: async ({ api }, p, step) => void (await api.setTracking(p.networkInterfaceId, tracking.parse(step.original))),
  inEffect: (state, p) => {
    const eni = state.interfaces.find((i) => i.id === p.networkInterfaceId);
    const wanted = p.tracking;
    return (
      !eni ||
      (eni.tracking.TcpEstablishedTimeout === wanted.TcpEstablishedTimeout &&
        eni.tracking.UdpStreamTimeout === wanted.UdpStreamTimeout &&
        eni.tracking.UdpTimeout === wanted.UdpTimeout)
    );
  },
});
