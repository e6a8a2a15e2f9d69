import { defineStepKind } from '@lockdown/containment';
import { object, string } from 'zod/mini';
import type { FunctionContext } from '../adapters/lambda-containment';
import type { ObservedFunction } from '../domain/observed';

/** Whole-role mode: AWSDenyAll on the execution role (every function using it is denied). */
export const roleManagedPolicy = defineStepKind<FunctionContext, ObservedFunction, { roleName: string; policyArn: string }>({
  kind: 'role-managed-policy',
  params: object({ roleName: string(), policyArn: string() }),
  apply: ({ api }, p) => api.attachRolePolicy(p.roleName, p.policyArn),
  undo: ({ api }, p) => api.detachRolePolicy(p.roleName, p.policyArn),
  inEffect: (state, p) => (state.roleAttachedPolicies ?? []).includes(p.policyArn),
});
