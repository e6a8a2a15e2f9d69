import type { ObservedFunction } from '../domain/observed';
import * as kinds from '../domain/step-kinds';
import type { FunctionContext } from './context';

export const roleManagedPolicy = kinds.roleManagedPolicy.implement<FunctionContext, ObservedFunction>({
  apply: ({ api }, p) => api.attachRolePolicy(p.roleName, p.policyArn),
  undo: ({ api }, p) => api.detachRolePolicy(p.roleName, p.policyArn),
  inEffect: (state, p) => (state.roleAttachedPolicies ?? []).includes(p.policyArn),
});
