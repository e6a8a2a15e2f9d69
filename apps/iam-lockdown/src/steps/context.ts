import type { IAMClient } from '@aws-sdk/client-iam';
import type { RoleInlinePolicies } from '@lockdown/aws';

/** What a session's steps act with (a user's or role's act with its PrincipalApi). */
export interface SessionContext {
  iam: IAMClient;
  rolePolicies: RoleInlinePolicies;
}
