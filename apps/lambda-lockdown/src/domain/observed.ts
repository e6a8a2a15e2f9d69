/** What lockdown reads of a Lambda function before and after containing it. */
export interface ObservedFunction {
  functionArn: string;
  name: string;
  roleArn: string;
  roleName: string;
  /** Reserved concurrency, or null when the function has none (it uses the unreserved pool). */
  reservedConcurrency: number | null;
  eventSourceMappings: Array<{ uuid: string; arn: string; state: string }>;
  tags: Record<string, string>;
  /** Whether lockdown's deny for this function is on its role (read once the role is known). */
  denyPolicyPresent?: boolean;
  /** Tags of the mappings lockdown knows it tagged, by mapping ARN (null: deleted since); read once they are known. */
  mappingTags?: Record<string, Record<string, string> | null>;
  /** Managed policies on the role (read in whole-role mode). */
  roleAttachedPolicies?: string[];
}
