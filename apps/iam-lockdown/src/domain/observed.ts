/** What lockdown reads of an IAM user or role before and after containing it. */
export interface ObservedPrincipal {
  kind: 'user' | 'role';
  name: string;
  path: string;
  arn: string;
  /** Managed policy ARNs attached. */
  attachedPolicies: string[];
  /** Inline policy names, except lockdown's own. */
  inlinePolicies: string[];
  /** Lockdown's own inline policies present now. */
  lockdownPolicies: string[];
  /** Users only. */
  accessKeys: Array<{ id: string; status: string }>;
  tags: Record<string, string>;
}
