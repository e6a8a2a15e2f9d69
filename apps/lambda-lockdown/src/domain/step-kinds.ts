// The kinds of step a Lambda function's plan is made of: each one's name and params (one zod schema, the
// params type inferred from it). plan.ts builds every step through them (`import * as kinds from
// './step-kinds'`, then `kinds.<kind>.step(fields, params)`); steps/ implements each kind in its own file.
import { declareStepKind } from '@lockdown/containment';
import { object, string } from 'zod/mini';

export { roleGuard, roleInlinePolicy } from '@lockdown/containment';

/** Reserved concurrency 0: the function cannot run; release restores the previous value or none. */
export const concurrency = declareStepKind('concurrency', object({ functionArn: string() }));

/** An enabled event source mapping disabled; release enables exactly this one again. */
export const eventSourceMapping = declareStepKind('event-source-mapping', object({ uuid: string() }));

/** The containment tag on the function (the organization guard keys on it); release restores the previous value. */
export const functionTag = declareStepKind('function-tag', object({ key: string(), value: string() }));

/**
 * The containment tag on one event source mapping lockdown disables (the organization guard
 * freezes tagged mappings: AWS authorizes UpdateEventSourceMapping on the mapping, not the
 * function); release removes it.
 */
export const mappingTag = declareStepKind('mapping-tag', object({ mappingArn: string(), key: string(), value: string() }));

/** Whole-role mode: AWSDenyAll on the execution role (every function using it is denied). */
export const roleManagedPolicy = declareStepKind('role-managed-policy', object({ roleName: string(), policyArn: string() }));
