export type OtherCredentialType = 'ssh-public-key' | 'service-specific-credential' | 'signing-certificate';

/** A door of a user other than its access keys. */
export interface OtherCredential {
  type: OtherCredentialType;
  id: string;
  status: string;
}

/** What lockdown reads of an IAM user or role before and after containing it. */
export interface ObservedPrincipal {
  kind: 'user' | 'role';
  name: string;
  path: string;
  arn: string;
  /** Managed policy ARNs attached. */
  attachedPolicies: string[];
  /** Inline policy names, except lockdown's own (one with lockdown's deny name but not its document is the entity's own). */
  inlinePolicies: string[];
  /** Lockdown's own inline policies present now. */
  lockdownPolicies: string[];
  /** Users only. */
  accessKeys: Array<{ id: string; status: string }>;
  /** Users only: SSH public keys, service-specific credentials, signing certificates. */
  otherCredentials: OtherCredential[];
  tags: Record<string, string>;
  /** The permissions boundary's policy ARN; null for none. */
  permissionsBoundary: string | null;
  /** Users, with deleteLoginProfile on: whether the user has a console password. */
  loginProfile?: boolean;
}
