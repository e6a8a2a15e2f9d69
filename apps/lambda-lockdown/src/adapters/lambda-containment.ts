import type { ContainmentAdapter, PlannedStep, StepKind } from '@lockdown/containment';
import type { LambdaFunctionRef } from '@lockdown/contracts';
import { ObservedFunction } from '../domain/observed';
import { LambdaPlanOptions, denyPolicyName, lambdaContainmentGaps, planLambdaContainment } from '../domain/plan';
import { FunctionApi } from './function-api';

/** The API plus what an earlier observation taught (the role), so a re-read is one round trip. */
export interface FunctionContext {
  api: FunctionApi;
  roleName?: string;
}

type Kind = StepKind<FunctionContext, ObservedFunction>;
const param = (step: PlannedStep, key: string) => String((step.params as Record<string, unknown>)[key]);

const roleInlinePolicy: Kind = {
  apply: ({ api }, s) => api.rolePolicies.put(param(s, 'roleName'), param(s, 'policyName'), param(s, 'document')),
  undo: ({ api }, s) => api.rolePolicies.remove(param(s, 'roleName'), param(s, 'policyName')),
  inEffect: (state) => state.denyPolicyPresent !== false,
};

const concurrency: Kind = {
  apply: ({ api }) => api.putConcurrency(0),
  undo: ({ api }, s) => (s.original === null ? api.deleteConcurrency() : api.putConcurrency(Number(s.original))),
  inEffect: (state) => state.reservedConcurrency === 0,
};

const eventSourceMapping: Kind = {
  apply: async ({ api }, s) => void (await api.setMappingEnabled(param(s, 'uuid'), false)),
  undo: ({ api }, s) => api.enableMapping(param(s, 'uuid')),
  // A mapping deleted since delivers nothing: contained too.
  inEffect: (state, s) => ['Disabled', 'Disabling', undefined].includes(state.eventSourceMappings.find((m) => m.uuid === param(s, 'uuid'))?.state),
};

const roleManagedPolicy: Kind = {
  apply: ({ api }, s) => api.attachRolePolicy(param(s, 'roleName'), param(s, 'policyArn')),
  undo: ({ api }, s) => api.detachRolePolicy(param(s, 'roleName'), param(s, 'policyArn')),
  inEffect: (state, s) => (state.roleAttachedPolicies ?? []).includes(param(s, 'policyArn')),
};

const roleNameOf = (roleArn: string) => roleArn.slice(roleArn.lastIndexOf('/') + 1);

/**
 * Reads the function in one round trip (GetFunctionConfiguration, GetFunctionConcurrency and ListEventSourceMappings in parallel;
 * once the role is known, also the deny policy on it). Whole-role mode needs the role's policies
 * too, which costs a second round trip on the first read.
 */
export async function observeFunction(ctx: FunctionContext, entity: LambdaFunctionRef, options: LambdaPlanOptions): Promise<ObservedFunction> {
  const knownRole = ctx.roleName;
  const wholeRole = options.roleMode === 'whole-role';
  const [fn, mappings, denyPolicyPresent, roleAttachedPolicies] = await Promise.all([
    ctx.api.getFunction(),
    ctx.api.listMappings(),
    knownRole ? ctx.api.rolePolicies.has(knownRole, denyPolicyName(entity.name)) : undefined,
    knownRole && wholeRole ? ctx.api.listRolePolicies(knownRole) : undefined,
  ]);
  const roleName = roleNameOf(fn.roleArn);
  ctx.roleName = roleName;
  return {
    functionArn: entity.arn,
    name: entity.name,
    roleArn: fn.roleArn,
    roleName,
    reservedConcurrency: fn.reservedConcurrency,
    eventSourceMappings: mappings,
    ...(denyPolicyPresent !== undefined ? { denyPolicyPresent } : {}),
    ...(wholeRole ? { roleAttachedPolicies: roleAttachedPolicies ?? (await ctx.api.listRolePolicies(roleName)) } : {}),
  };
}

export function lambdaContainmentAdapter(entity: LambdaFunctionRef, options: LambdaPlanOptions): ContainmentAdapter<FunctionContext, ObservedFunction> {
  return {
    observe: (ctx) => observeFunction(ctx, entity, options),
    plan: (state) => planLambdaContainment(state, options),
    snapshot: ({ denyPolicyPresent: _ours, ...state }) => ({ ...state, eventSourceMappings: state.eventSourceMappings.map((m) => ({ ...m })) }),
    kinds: { 'role-inline-policy': roleInlinePolicy, concurrency, 'event-source-mapping': eventSourceMapping, 'role-managed-policy': roleManagedPolicy },
    containmentGaps: lambdaContainmentGaps,
  };
}
