import type { ObservedIdentityCenterUser } from '../domain/observed';
import * as kinds from '../domain/step-kinds';
import type { IdentityCenterContext } from './context';

export const accountAssignment = kinds.accountAssignment.implement<IdentityCenterContext, ObservedIdentityCenterUser>({
  // Ensure, never toggle: a redelivery finds the assignment gone and does nothing.
  apply: async ({ api }, p) => {
    if (await api.isAssigned(p)) await api.deleteAssignment(p);
  },
  undo: async ({ api }, p) => {
    if (!(await api.isAssigned(p))) await api.createAssignment(p);
  },
  inEffect: (state, p) =>
    !state.assignments.some(
      (a) =>
        a.accountId === p.accountId &&
        a.permissionSetArn === p.permissionSetArn &&
        a.principalType === 'USER' &&
        a.principalId === p.principalId,
    ),
});
