// The kinds of step an Identity Center user's plan is made of: each one's name and params (one zod
// schema, the params type inferred from it). plan.ts builds every step through them; steps/ implements
// each kind in its own file.
import { declareStepKind } from '@lockdown/containment';
import { boolean, literal, object, string } from 'zod/mini';

/**
 * The deny of the user's sessions in a permission set's inline policy, provisioned to every account the
 * permission set is in. keepOnRelease: a release keeps the deny for sessions issued before it (stolen
 * sessions stay dead), as `revokeRoleSessions` does for roles; otherwise it removes it.
 */
export const sessionDeny = declareStepKind(
  'session-deny',
  object({ instanceArn: string(), permissionSetArn: string(), permissionSetName: string(), userId: string(), keepOnRelease: boolean() }),
);

/** One of the user's own account assignments, deleted; release creates it again. */
export const accountAssignment = declareStepKind(
  'account-assignment',
  object({
    instanceArn: string(),
    accountId: string(),
    permissionSetArn: string(),
    principalType: literal('USER'),
    principalId: string(),
  }),
);

/** One of the user's group memberships, deleted; release makes the user a member again. */
export const groupMembership = declareStepKind(
  'group-membership',
  object({ identityStoreId: string(), groupId: string(), userId: string() }),
);
