import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { MemberAccounts } from '@lockdown/aws';
import { DEFAULT_MEMBER_ROLE_DEPLOYERS, SERVICES, lockdownFunctionName, orgGuardPolicy, ownMemberRoles } from '@lockdown/contracts';
import { memberPolicy, ownMemberPolicy } from '@lockdown/services';
import type { SimulatedAws } from '@lockdown/sandbox';
import type { MemberClients } from './member-api';

/** The drills' accounts, roles and secrets (the sandbox's, or an emulator's). */
export const SECURITY_ACCOUNT = '999999999999';
export const SANDBOX_MEMBER_ACCOUNT = '111111111111';
export const MEMBER_ROLE = 'lockdown-member';
/** Creates the fixtures and reads the state back, independently of lockdown's member role. */
export const FIXTURE_ROLE = 'drill-fixtures-admin';
export const MEMBER_EXTERNAL_ID = 'drill-member-external-id';
export const EXTERNAL_ID = 'drill-external-id-4f1c';
export const REGION = 'us-east-1';

/**
 * The sandbox's member account as the member stack leaves it (lockdown's role, trusted by the
 * services' roles, with the services' policy, and identity-center-lockdown's own role, trusted by its role only) plus the drill's administrator; with `guard`,
 * lockdown's organization guard over it (its SCP, evaluated with the identity policies).
 */
export function seedSandboxMember(sandbox: SimulatedAws, guard = false): void {
  sandbox.homeAccountId = SECURITY_ACCOUNT;
  if (guard)
    sandbox.serviceControlPolicies = [
      {
        name: 'lockdown-guard',
        policy: orgGuardPolicy({ memberRoleName: MEMBER_ROLE, memberRoleDeployers: DEFAULT_MEMBER_ROLE_DEPLOYERS }),
      },
    ];
  seedSharedMemberRole(sandbox, SANDBOX_MEMBER_ACCOUNT);
  // A service's own member role (identity-center-lockdown's), trusted by that service's role only.
  for (const { service, roleName } of ownMemberRoles(MEMBER_ROLE))
    sandbox.seedMemberRole(
      SANDBOX_MEMBER_ACCOUNT,
      roleName,
      MEMBER_EXTERNAL_ID,
      [`arn:aws:iam::${SECURITY_ACCOUNT}:role/${lockdownFunctionName(service)}`],
      (props) => ownMemberPolicy(service, props),
    );
  sandbox.seedAdminRole(SANDBOX_MEMBER_ACCOUNT, FIXTURE_ROLE, MEMBER_EXTERNAL_ID);
}

/** lockdown's shared member role in an account, as the member stack (a StackSet: every account) leaves it: trusted by the services' roles, with their policy. */
export function seedSharedMemberRole(sandbox: SimulatedAws, accountId: string): void {
  sandbox.seedMemberRole(
    accountId,
    MEMBER_ROLE,
    MEMBER_EXTERNAL_ID,
    SERVICES.map((s) => `arn:aws:iam::${SECURITY_ACCOUNT}:role/${lockdownFunctionName(s)}`),
    memberPolicy,
  );
}

/** The member account through the drill's administrator role (fixtures and independent reads). */
export function fixtureClients(memberAccount: string, sqsEndpoint?: string): MemberClients {
  const access = new MemberAccounts({ roleName: FIXTURE_ROLE, externalId: MEMBER_EXTERNAL_ID, service: 'drill' });
  const target = { partition: 'aws' as const, accountId: memberAccount, region: REGION, requestId: 'drill-fixtures' };
  return {
    iam: new IAMClient(access.clientConfig(target, 'global')),
    lambda: new LambdaClient(access.clientConfig(target)),
    ec2: new EC2Client(access.clientConfig(target)),
    // lockdown never calls SQS in a member account, so the drill names an emulator's endpoint itself.
    sqs: new SQSClient({ ...access.clientConfig(target), ...(sqsEndpoint ? { endpoint: sqsEndpoint } : {}) }),
    s3: new S3Client(access.clientConfig(target)),
  };
}

/** The member-account services whose endpoint a drill against an emulator overrides. */
const ENDPOINT_SERVICES = ['IAM', 'STS', 'LAMBDA', 'EC2', 'S3'];

/**
 * The drills' process environment: the region, quiet Powertools, placeholder credentials for the
 * local emulators unless real ones are configured, and an emulator's endpoint when given.
 * Returns the undo, which puts the environment back exactly.
 */
export function drillEnvironment(endpoint?: string): () => void {
  const saved = { ...process.env };
  if (endpoint) for (const service of ENDPOINT_SERVICES) process.env[`AWS_ENDPOINT_URL_${service}`] = endpoint;
  process.env.AWS_REGION ??= REGION;
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  if (!process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE)
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'drill', AWS_SECRET_ACCESS_KEY: 'drill' });
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  };
}
