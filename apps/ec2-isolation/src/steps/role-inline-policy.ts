import { roleInlinePolicyKind } from '@lockdown/aws';
import type { InstanceContext } from './context';
import type { ObservedInstance } from '../domain/observed';

/** The deny on an instance-profile role for this instance's credentials only. */
export const roleInlinePolicy = roleInlinePolicyKind<InstanceContext, ObservedInstance>({
  policies: ({ api }) => api.rolePolicies,
  inEffect: (state, p) => state.denyOnRoles?.[p.roleName] !== false,
});
