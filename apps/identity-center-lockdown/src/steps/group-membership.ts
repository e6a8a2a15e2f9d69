import type { ObservedIdentityCenterUser } from '../domain/observed';
import * as kinds from '../domain/step-kinds';
import type { IdentityCenterContext } from './context';

export const groupMembership = kinds.groupMembership.implement<IdentityCenterContext, ObservedIdentityCenterUser>({
  apply: async ({ api }, p) => {
    const id = await api.membershipId(p.identityStoreId, p.groupId, p.userId);
    if (id !== undefined) await api.deleteMembership(p.identityStoreId, id);
  },
  // The membership comes back with a new id (Identity Store assigns it): the group and the user are what count.
  undo: async ({ api }, p) => {
    if ((await api.membershipId(p.identityStoreId, p.groupId, p.userId)) === undefined)
      await api.createMembership(p.identityStoreId, p.groupId, p.userId);
  },
  inEffect: (state, p) => !state.memberships.some((m) => m.groupId === p.groupId),
});
