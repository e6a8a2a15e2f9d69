import { stepKinds, type ContainmentAdapter } from '@lockdown/containment';
import type { LambdaFunctionRef } from '@lockdown/contracts';
import { ObservedFunction } from '../domain/observed';
import { LambdaPlanOptions, denyPolicyName, functionDenyDocument, lambdaContainmentGaps, planLambdaContainment } from '../domain/plan';
import { concurrency } from '../steps/concurrency';
import { eventSourceMapping } from '../steps/event-source-mapping';
import { functionTag } from '../steps/function-tag';
import { mappingTag } from '../steps/mapping-tag';
import { roleGuard } from '../steps/role-guard';
import { roleInlinePolicy } from '../steps/role-inline-policy';
import type { FunctionContext } from '../steps/context';
import { roleManagedPolicy } from '../steps/role-managed-policy';

const roleNameOf = (roleArn: string) => roleArn.slice(roleArn.lastIndexOf('/') + 1);

/**
 * Reads the function in one round trip (GetFunctionConfiguration, GetFunctionConcurrency and ListEventSourceMappings in parallel;
 * once the role is known, also the deny policy on it). Whole-role mode needs the role's policies
 * too, which costs a second round trip on the first read.
 */
export async function observeFunction(
  ctx: FunctionContext,
  entity: LambdaFunctionRef,
  options: LambdaPlanOptions,
): Promise<ObservedFunction> {
  const knownRole = ctx.roleName;
  const knownMappings = ctx.mappingArns;
  const wholeRole = options.roleMode === 'whole-role';
  const [fn, mappings, tags, denyPolicyPresent, roleAttachedPolicies, mappingTags] = await Promise.all([
    ctx.api.getFunction(),
    ctx.api.listMappings(),
    ctx.api.listTags(),
    knownRole ? ctx.api.rolePolicies.holds(knownRole, denyPolicyName(entity.name), functionDenyDocument(entity.arn)) : undefined,
    knownRole && wholeRole ? ctx.api.listRolePolicies(knownRole) : undefined,
    knownMappings ? Promise.all(knownMappings.map(async (arn) => [arn, await ctx.api.mappingTags(arn)] as const)) : undefined,
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
    tags,
    ...(denyPolicyPresent !== undefined ? { denyPolicyPresent } : {}),
    ...(mappingTags ? { mappingTags: Object.fromEntries(mappingTags) } : {}),
    ...(wholeRole ? { roleAttachedPolicies: roleAttachedPolicies ?? (await ctx.api.listRolePolicies(roleName)) } : {}),
  };
}

export function lambdaContainmentAdapter(
  entity: LambdaFunctionRef,
  options: LambdaPlanOptions,
): ContainmentAdapter<FunctionContext, ObservedFunction> {
  return {
    observe: (ctx) => observeFunction(ctx, entity, options),
    // Verify and the watch read the deny on the role, and the tags of the mappings, the recorded steps name.
    recall: (ctx, steps) => {
      const deny = steps.find((s) => s.kind === roleInlinePolicy.kind);
      if (deny) ctx.roleName ??= roleInlinePolicy.paramsOf(deny).roleName;
      ctx.mappingArns = steps.filter((s) => s.kind === mappingTag.kind).map((s) => mappingTag.paramsOf(s).mappingArn);
    },
    plan: (state) => planLambdaContainment(state, options),
    snapshot: ({ denyPolicyPresent: _ours, mappingTags: _tags, ...state }) => ({
      ...state,
      eventSourceMappings: state.eventSourceMappings.map((m) => ({ ...m })),
    }),
    kinds: stepKinds<FunctionContext, ObservedFunction>(
      roleInlinePolicy,
      concurrency,
      eventSourceMapping,
      roleManagedPolicy,
      functionTag,
      mappingTag,
      roleGuard,
    ),
    containmentGaps: lambdaContainmentGaps,
  };
}
