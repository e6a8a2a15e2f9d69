import type { LockdownConfig } from '@lockdown/services';

/**
 * The read-only AWS calls preflight makes, as answers the checks can judge. Not-found answers are
 * values (undefined, false, []); anything else AWS refuses is thrown as the SDK's error.
 */
export interface PreflightReads {
  /** sts:GetCallerIdentity: who runs preflight, hence which account the other reads see. */
  callerIdentity(): Promise<{ account: string; arn: string }>;
  /** SSM `/cdk-bootstrap/<qualifier>/version` in the security account and region, if present. */
  bootstrapVersion(qualifier: string): Promise<number | undefined>;
  /** The status of the `CDKToolkit` stack, if it exists. */
  toolkitStackStatus(): Promise<string | undefined>;
  /** iam:GetUser / iam:GetRole of a principal of the caller's account. */
  principalExists(kind: 'user' | 'role', name: string): Promise<boolean>;
  /** securityhub:DescribeHub: false when the account is not subscribed in the region. */
  securityHubEnabled(): Promise<boolean>;
  /** guardduty:ListDetectors in a region. */
  guardDutyDetectors(region: string): Promise<string[]>;
  /** guardduty:GetAdministratorAccount: the account this one is a GuardDuty member of, if any. */
  guardDutyAdministrator(detectorId: string): Promise<string | undefined>;
  /** organizations:ListDelegatedAdministrators for a service principal (management account or a delegated administrator only). */
  delegatedAdministrators(servicePrincipal: string): Promise<string[]>;
  /** organizations:DescribeOrganization: undefined when the account is in no organization. */
  organization(): Promise<{ id: string; managementAccountId: string; featureSet: string } | undefined>;
  /** organizations:ListRoots with the policy types enabled on each. */
  roots(): Promise<Array<{ id: string; enabledPolicyTypes: string[] }>>;
  organizationalUnitExists(id: string): Promise<boolean>;
  accountExists(id: string): Promise<boolean>;
  /** organizations:ListAWSServiceAccessForOrganization: the service principals with trusted access. */
  servicesWithTrustedAccess(): Promise<string[]>;
  /** sts:AssumeRole with the ExternalId, then sts:GetCallerIdentity with that session: the account it acts in. */
  assumeAndIdentify(roleArn: string, externalId: string): Promise<string>;
}

/** What preflight checks against: the configuration, who runs it, where, and which member accounts to try. */
export interface PreflightSetup {
  config: LockdownConfig;
  caller: { account: string; arn: string; partition: string };
  /** The security account's region: where the core, service and triggers stacks deploy. */
  region: string;
  /** The CDK bootstrap qualifier (`@aws-cdk/core:bootstrapQualifier`, default `hnb659fds`). */
  qualifier: string;
  /** Other regions in which to look for GuardDuty detectors whose findings would not reach the triggers. */
  otherRegions: string[];
  /** Onboarded accounts in which to assume the member role. */
  memberAccounts: string[];
}
