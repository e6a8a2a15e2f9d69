// The kinds of step a identity-center-user's plan is made of: each one's name and params (one zod schema, the
// params type inferred from it), e.g. `export const tag = declareStepKind('tag', object({ key: string(), value: string() }));`
// (@lockdown/containment, zod/mini). plan.ts builds every step through them (`import * as kinds from
// './step-kinds'`, then `kinds.<kind>.step(fields, params)`: a misspelt kind or parameter is a type error);
// steps/ implements each kind in its own file: `kinds.<kind>.implement<IdentityCenterLockdownContext, ObservedIdentityCenterLockdown>({ apply, undo, inEffect })`.
export {};
