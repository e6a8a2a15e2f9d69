import type { PolicyStatement } from '@lockdown/contracts';

/** A permission set's inline policy as Identity Center holds it: anyone's JSON, read loosely. */
interface InlineDocument {
  Version?: string;
  Statement?: unknown;
  [key: string]: unknown;
}
type AnyStatement = { Sid?: unknown; [key: string]: unknown };

/**
 * The statement that denies one user's sessions of a permission set: AWS's documented way to revoke an
 * Identity Center user's active sessions, an explicit deny in the permission set's inline policy on
 * `identitystore:userId` (https://docs.aws.amazon.com/singlesignon/latest/userguide/authconcept-revoke-access.html).
 * The `AWSReservedSSO_*` roles themselves are protected: IAM refuses every change to them
 * ("Cannot perform the operation on the protected role", https://repost.aws/knowledge-center/identity-center-aws-reserved-sso).
 * Colleagues on the same permission set have other user ids and keep working.
 * `before`: once released, only sessions issued before that instant stay denied.
 */
export function sessionDenyStatement(userId: string, before?: string): PolicyStatement {
  return {
    Sid: sessionDenySid(userId),
    Effect: 'Deny',
    Action: ['*'],
    Resource: ['*'],
    Condition: {
      StringEquals: { 'identitystore:userId': userId },
      ...(before ? { DateLessThan: { 'aws:TokenIssueTime': before } } : {}),
    },
  };
}

/** lockdown's Sid for a user's deny (a Sid is alphanumeric: the user id without its hyphens). */
export const sessionDenySid = (userId: string) => `LockdownDenyUser${userId.replace(/-/g, '')}`;

const parse = (policy: string | null): InlineDocument => (policy ? (JSON.parse(policy) as InlineDocument) : {});
const statementsOf = (document: InlineDocument): AnyStatement[] =>
  Array.isArray(document.Statement)
    ? (document.Statement as AnyStatement[])
    : document.Statement
      ? [document.Statement as AnyStatement]
      : [];

/** The inline policy with this statement in it (replacing lockdown's earlier one for the same user). */
export function withStatement(policy: string | null, statement: PolicyStatement): string {
  const document = parse(policy);
  const others = statementsOf(document).filter((s) => s.Sid !== statement.Sid);
  return JSON.stringify({ ...document, Version: document.Version ?? '2012-10-17', Statement: [...others, statement] });
}

/** The inline policy without lockdown's statement for this user; null when nothing else is left. */
export function withoutStatement(policy: string | null, sid: string): string | null {
  const document = parse(policy);
  const others = statementsOf(document).filter((s) => s.Sid !== sid);
  return others.length === 0 ? null : JSON.stringify({ ...document, Statement: others });
}

/** Whether the inline policy denies this user's sessions right now (lockdown's statement, exactly, without a release time). */
export function deniesSessions(policy: string | null, userId: string): boolean {
  const wanted = JSON.stringify(sessionDenyStatement(userId));
  return statementsOf(parse(policy)).some((s) => JSON.stringify(s) === wanted);
}
