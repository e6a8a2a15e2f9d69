import { roleInlinePolicyKind } from '@lockdown/aws';
import type { FunctionContext } from './context';
import type { ObservedFunction } from '../domain/observed';

/** The deny on the execution role for this function's credentials only. */
export const roleInlinePolicy = roleInlinePolicyKind<FunctionContext, ObservedFunction>({
  policies: ({ api }) => api.rolePolicies,
  inEffect: (state) => state.denyPolicyPresent !== false,
});
