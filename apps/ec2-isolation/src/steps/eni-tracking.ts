import type { ObservedInstance } from '../domain/observed';
import { connectionTracking } from '../domain/step-kinds';
import * as kinds from '../domain/step-kinds';
import type { InstanceContext } from './context';

export const eniTracking = kinds.eniTracking.implement<InstanceContext, ObservedInstance>({
  apply: async ({ api }, p) => void (await api.setTracking(p.networkInterfaceId, p.tracking)),
  undo: async ({ api }, p, step) => void (await api.setTracking(p.networkInterfaceId, connectionTracking.parse(step.original))),
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
