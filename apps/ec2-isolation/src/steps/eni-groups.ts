import type { LockdownGroupKind, ObservedInstance } from '../domain/observed';
import * as kinds from '../domain/step-kinds';
import type { InstanceContext } from './context';

export const eniGroups = kinds.eniGroups.implement<InstanceContext, ObservedInstance>({
  // The untracked group is allow-all: an interface goes there only once the isolation group that
  // follows is known usable (lockdown's own, rules exact), never to stay open if it is not.
  apply: async ({ api, groups }, p) => {
    const [id] = await Promise.all([
      groups.ensure(p.vpcId, p.target),
      p.target === 'untracked' ? groups.ensure(p.vpcId, 'isolation') : undefined,
    ]);
    await api.setGroups(p.networkInterfaceId, [id]);
  },
  undo: async ({ api }, p, step) => void (await api.setGroups(p.networkInterfaceId, step.original as string[])),
  inEffect: (state, p) => {
    const eni = state.interfaces.find((i) => i.id === p.networkInterfaceId);
    if (!eni) return true; // detached or deleted since: it carries no traffic of this instance
    const groupId = (kind: LockdownGroupKind) => state.lockdownGroups[p.vpcId]?.[kind]?.id;
    const accepted = p.target === 'untracked' ? [groupId('untracked'), groupId('isolation')] : [groupId('isolation')];
    return eni.groups.length === 1 && accepted.includes(eni.groups[0]);
  },
});
