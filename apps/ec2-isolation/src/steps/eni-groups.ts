import { defineStepKind } from '@lockdown/containment';
import { enum as zEnum, object, string } from 'zod/mini';
import type { InstanceContext } from '../adapters/ec2-containment';
import type { LockdownGroupKind, ObservedInstance } from '../domain/observed';

/** One interface moved to lockdown's untracked or isolation group of its own VPC; release restores its own groups. */
export const eniGroups = defineStepKind<
  InstanceContext,
  ObservedInstance,
  { networkInterfaceId: string; vpcId: string; target: LockdownGroupKind }
>({
  kind: 'eni-groups',
  params: object({ networkInterfaceId: string(), vpcId: string(), target: zEnum(['untracked', 'isolation']) }),
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
