import { Aws, DefaultStackSynthesizer, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ServiceName, SERVICES, ownMemberRoles } from '@lockdown/contracts';
import { ConfigError, LockdownConfig, memberPolicy, ownMemberPolicy } from '@lockdown/services';
import { MemberRole } from '../constructs/member-role';
import { serviceRoleName } from '../names';

export interface MemberRoleStackProps extends StackProps {
  readonly config: LockdownConfig;
  /** The security account the role trusts (`securityAccountOf`). */
  readonly securityAccountId: string;
}

/** The security account the member role trusts: required, never the deploying account by default. */
export function securityAccountOf(config: LockdownConfig): string {
  if (config.securityAccountId) return config.securityAccountId;
  throw new ConfigError(
    'securityAccountId is not set: the member role trusts the security account that runs lockdown; set it with -c securityAccountId=<12-digit account id> or in the context of cdk.json',
  );
}

const SHARED_WILDCARDS =
  "The compromised entity can be any user, role, function, instance or interface of the account, in any region: resources are scoped to this account and resource type; AWSDenyAll is the only policy that can be attached; a permissions boundary may be any policy (release puts the principal's previous one back, so iam:PermissionsBoundary cannot be pinned to AWSDenyAll) because a boundary only ever restricts what the principal's own policies allow, never adds to it (what the member role could do with it is loosen a boundary someone else set, which is why the guard freezes the member role itself); only the lockdown:containment tag can be written on entities and only lockdown:* tags at creation on its groups and snapshots; rules can only change on groups tagged lockdown:managed; EC2 Describe, lambda:ListEventSourceMappings, DescribeAutoScalingInstances, the ELB Describe calls and cloudtrail:LookupEvents (the persistence sweep's read of event history) support no resource-level permissions (Service Authorization Reference); S3 bucket ARNs carry no account, so the bucket statement is limited to this account's buckets by s3:ResourceAccount.";
const ownWildcards = (service: ServiceName) =>
  `${service}'s own member role: the compromised Identity Center user can hold any permission set in any account of the instance and belong to any group, so its assignments, permission sets and memberships are scoped to Identity Center's resource types (instance, permission set, account, this account's identity store, user, group, membership) and not further; sso:ListInstances and cloudtrail:LookupEvents (the persistence sweep's read of event history) support no resource-level permissions (Service Authorization Reference). Only ${service}'s role may assume this role.`;

/**
 * The one role lockdown uses in a member account (fixed name), trusted by the security account
 * for its three service roles only (`aws:PrincipalArn`: a recreated service role is trusted again,
 * where a role ARN as principal would stay pinned to the deleted role's unique id) with the
 * ExternalId; its permissions are exactly the calls the services make, scoped where IAM allows.
 * Deploy it to every account with a service-managed StackSet (its template needs no CDK
 * bootstrap); in the security account itself it gives single-account use. Its template is the same
 * in every account: its own account and partition are CloudFormation's pseudo-parameters, never the
 * account that synthesized it; the only account it names is the security account it trusts.
 */
export class MemberRoleStack extends Stack {
  readonly role: iam.Role;
  /** The member roles of their own (identity-center-lockdown's), by service: each trusted by that service's role only. */
  readonly ownRoles: Record<string, iam.Role> = {};

  constructor(scope: Construct, id: string, props: MemberRoleStackProps) {
    // A StackSet deploys into accounts that were never CDK-bootstrapped: no bootstrap parameter or rule.
    super(scope, id, { ...props, synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }) });
    const { config, securityAccountId } = props;
    const trusting = (services: readonly ServiceName[]) => memberTrust(config, securityAccountId, services);
    const policyProps = { memberRoleName: config.memberRoleName, securityAccountId };
    this.role = new MemberRole(this, {
      roleName: config.memberRoleName,
      description: 'lockdown: contains compromised IAM principals, Lambda functions, EC2 instances and S3 buckets in this account',
      assumedBy: trusting(SERVICES),
      document: memberPolicy({ partition: Aws.PARTITION, account: Aws.ACCOUNT_ID, ...policyProps }),
      // Exactly the wildcard resources of the document, as cdk-nag names its findings.
      rendered: memberPolicy({ partition: '<AWS::Partition>', account: '<AWS::AccountId>', ...policyProps }),
      wildcardReason: SHARED_WILDCARDS,
      ids: { role: 'MemberRole', policy: 'Permissions', output: 'MemberRoleArn' },
    }).role;
    // A service whose calls can grant access (identity-center-lockdown: account assignments, permission
    // sets, group memberships) has a member role of its own, trusted by its role alone.
    for (const { service, roleName } of ownMemberRoles(config.memberRoleName))
      this.ownRoles[service] = new MemberRole(this, {
        roleName,
        description: `lockdown: ${service}'s own member role, trusted by its role only (its calls can grant access, so no other lockdown role may reach them)`,
        assumedBy: trusting([service]),
        document: ownMemberPolicy(service, { partition: Aws.PARTITION, account: Aws.ACCOUNT_ID }),
        rendered: ownMemberPolicy(service, { partition: '<AWS::Partition>', account: '<AWS::AccountId>' }),
        wildcardReason: ownWildcards(service),
        ids: { role: `OwnMemberRole-${service}`, policy: `OwnPermissions-${service}`, output: `OwnMemberRoleArn-${service}` },
      }).role;
  }
}

/** The security account, for these services' roles only (`aws:PrincipalArn`), with the ExternalId (and the organisation, if set). */
function memberTrust(config: LockdownConfig, securityAccountId: string, services: readonly ServiceName[]) {
  return new iam.AccountPrincipal(securityAccountId).withConditions({
    StringEquals: {
      'sts:ExternalId': config.memberExternalId,
      ...(config.organizationId ? { 'aws:PrincipalOrgID': config.organizationId } : {}),
    },
    ArnEquals: { 'aws:PrincipalArn': services.map((s) => `arn:${Aws.PARTITION}:iam::${securityAccountId}:role/${serviceRoleName(s)}`) },
  });
}
