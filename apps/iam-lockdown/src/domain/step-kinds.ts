// The kinds of step a user's or role's plan is made of: each one's name and params (one zod schema, the
// params type inferred from it). plan.ts builds every step through them (`import * as kinds from
// './step-kinds'`, then `kinds.<kind>.step(fields, params)`); steps/ implements each kind in its own file.
// A session's plan is made of the role kinds of libs/containment.
import { declareStepKind } from '@lockdown/containment';
import { enum as zEnum, object, string } from 'zod/mini';

const inlinePolicyParams = object({ policyName: string(), document: string() });

/**
 * lockdown's inline deny on the user or role (named by lockdown, and its document read back, so
 * observation tells it apart). Never put over a policy of that name lockdown did not write: that
 * one is kept (a skipped step is not undone at release), and containment relies on AWSDenyAll.
 */
export const inlinePolicy = declareStepKind('inline-policy', inlinePolicyParams);

/** An inline deny that outlives the containment: revoked sessions stay revoked after release. */
export const keptInlinePolicy = declareStepKind('kept-inline-policy', inlinePolicyParams);

/**
 * AWSDenyAll as the user's or role's permissions boundary: it takes no quota slot, so no policy,
 * tag or size quota an attacker filled keeps it out. Release puts the previous boundary back, or
 * deletes it when there was none.
 */
export const permissionsBoundary = declareStepKind('permissions-boundary', object({ policyArn: string() }));

/** AWSDenyAll attached to the user or role. */
export const managedPolicy = declareStepKind('managed-policy', object({ policyArn: string() }));

/** An active access key deactivated; release reactivates exactly this key. */
export const accessKey = declareStepKind('access-key', object({ accessKeyId: string() }));

/** An active SSH public key, service-specific credential or signing certificate deactivated; release reactivates exactly it. */
export const otherCredential = declareStepKind(
  'other-credential',
  object({ type: zEnum(['ssh-public-key', 'service-specific-credential', 'signing-certificate']), id: string() }),
);

/** The containment tag; release restores the previous value, or removes the tag. */
export const tag = declareStepKind('tag', object({ key: string(), value: string() }));

/**
 * The console password deleted (option deleteLoginProfile). IAM cannot give a password back: the
 * release says so, and what an administrator must do.
 */
export const loginProfile = declareStepKind('login-profile', object({ userName: string() }));
