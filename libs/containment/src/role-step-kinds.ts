import { object, string } from 'zod/mini';
import type { PlannedStep } from './step';
import { declareStepKind } from './step-kind';

// The kinds of step on a role that the entity's credentials come from (a function's execution
// role, an instance profile's role, a session's role), declared once for lambda-lockdown,
// ec2-isolation and iam-lockdown's sessions; libs/aws implements them. Pure annotations: a bundle
// that does not use them leaves them out.

/** lockdown's inline deny on the role for the entity's credentials only. */
export const roleInlinePolicy = /* @__PURE__ */ declareStepKind(
  'role-inline-policy',
  object({ roleName: string(), policyName: string(), document: string() }),
);

/**
 * The guard mark on a role that carries lockdown's credential deny (`lockdown:guarded`): the
 * organization guard then freezes the role's policies, so nobody removes the deny.
 */
export const roleGuard = /* @__PURE__ */ declareStepKind('role-guard', object({ roleName: string(), ownPolicyName: string() }));

/**
 * The roles a containment denied the entity's credentials on (its `role-inline-policy` steps): the
 * roles its credentials were sessions of when it was contained, whatever was done to them since.
 */
export const credentialRolesOf = (steps: readonly PlannedStep[]): string[] => [
  ...new Set(steps.filter((s) => s.kind === roleInlinePolicy.kind).map((s) => roleInlinePolicy.paramsOf(s).roleName)),
];
