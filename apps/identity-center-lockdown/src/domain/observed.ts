/** One permission set of an account assignment: who holds it (the user, or a group the user is in). */
export interface ObservedAssignment {
  accountId: string;
  permissionSetArn: string;
  principalType: 'USER' | 'GROUP';
  principalId: string;
}

/** A permission set the user reaches in some account: its name (the `AWSReservedSSO_<name>_*` role) and inline policy. */
export interface ObservedPermissionSet {
  arn: string;
  name: string;
  /** The inline policy as Identity Center returns it (null: none). */
  inlinePolicy: string | null;
}

/** What identity-center-lockdown reads of an Identity Center user before and after containing it. */
export interface ObservedIdentityCenterUser {
  arn: string;
  userId: string;
  /** The user's user name: the session name of their `AWSReservedSSO_*` role sessions. */
  userName: string;
  instanceArn: string;
  identityStoreId: string;
  /** Every account assignment the user reaches, directly (USER) or through a group (GROUP). */
  assignments: ObservedAssignment[];
  /** The user's group memberships. */
  memberships: Array<{ membershipId: string; groupId: string }>;
  /** Every permission set of `assignments`, by ARN. */
  permissionSets: Record<string, ObservedPermissionSet>;
  /** Whether the user's identity comes from an external identity provider (its ExternalIds). */
  external: boolean;
}
