import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetAdministratorAccountCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { GetRoleCommand, GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  DescribeOrganizationalUnitCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListDelegatedAdministratorsCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { DescribeHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { clientSettings } from '@lockdown/aws';
import { awsErrorName } from '@lockdown/containment';
import { PreflightReads } from './reads';

/** The value of `read`, or `absent` when AWS answers with one of `notFound` (the SDK's error names). */
async function unless<T, A>(notFound: readonly string[], absent: A, read: () => Promise<T>): Promise<T | A> {
  try {
    return await read();
  } catch (error) {
    if (notFound.includes(awsErrorName(error))) return absent;
    throw error;
  }
}

/** Every page of a paginated read, flattened. */
async function allPages<T>(page: (token: string | undefined) => Promise<{ items: T[]; next?: string | undefined }>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const result = await page(token);
    items.push(...result.items);
    token = result.next;
  } while (token);
  return items;
}

/**
 * Preflight's reads with the SDK v3 clients, in the security account's region with the caller's
 * credentials; endpoints are the SDK's own settings (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>`).
 */
export function awsPreflightReads(region: string): PreflightReads {
  const settings = { region, ...clientSettings() };
  const ssm = new SSMClient(settings);
  const cloudformation = new CloudFormationClient(settings);
  const iam = new IAMClient(settings);
  const securityHub = new SecurityHubClient(settings);
  const guardDuty = (r: string) => new GuardDutyClient({ ...settings, region: r });
  const organizations = new OrganizationsClient(settings);
  const sts = new STSClient(settings);
  return {
    callerIdentity: async () => {
      const { Account, Arn } = await sts.send(new GetCallerIdentityCommand({}));
      return { account: Account!, arn: Arn! };
    },
    bootstrapVersion: (qualifier) =>
      unless(['ParameterNotFound'], undefined, async () => {
        const { Parameter } = await ssm.send(new GetParameterCommand({ Name: `/cdk-bootstrap/${qualifier}/version` }));
        return Number(Parameter?.Value);
      }),
    // CloudFormation answers a stack that does not exist with ValidationError ("Stack with id CDKToolkit does not exist").
    toolkitStackStatus: () =>
      unless(['ValidationError'], undefined, async () => {
        const { Stacks } = await cloudformation.send(new DescribeStacksCommand({ StackName: 'CDKToolkit' }));
        return Stacks?.[0]?.StackStatus;
      }),
    principalExists: (kind, name) =>
      unless(['NoSuchEntityException'], false, async () => {
        if (kind === 'user') await iam.send(new GetUserCommand({ UserName: name }));
        else await iam.send(new GetRoleCommand({ RoleName: name }));
        return true;
      }),
    // "Account ... is not subscribed to AWS Security Hub" is InvalidAccessException.
    securityHubEnabled: () =>
      unless(['InvalidAccessException'], false, async () => {
        await securityHub.send(new DescribeHubCommand({}));
        return true;
      }),
    guardDutyDetectors: (r) =>
      allPages(async (NextToken) => {
        const page = await guardDuty(r).send(new ListDetectorsCommand({ NextToken }));
        return { items: page.DetectorIds ?? [], next: page.NextToken };
      }),
    guardDutyAdministrator: async (DetectorId) => {
      const { Administrator } = await guardDuty(region).send(new GetAdministratorAccountCommand({ DetectorId }));
      return Administrator?.RelationshipStatus === 'Enabled' ? Administrator.AccountId : undefined;
    },
    delegatedAdministrators: (ServicePrincipal) =>
      allPages(async (NextToken) => {
        const page = await organizations.send(new ListDelegatedAdministratorsCommand({ ServicePrincipal, NextToken }));
        return { items: (page.DelegatedAdministrators ?? []).map((a) => a.Id!), next: page.NextToken };
      }),
    organization: () =>
      unless(['AWSOrganizationsNotInUseException'], undefined, async () => {
        const { Organization } = await organizations.send(new DescribeOrganizationCommand({}));
        return { id: Organization!.Id!, managementAccountId: Organization!.MasterAccountId!, featureSet: Organization!.FeatureSet ?? '' };
      }),
    roots: () =>
      allPages(async (NextToken) => {
        const page = await organizations.send(new ListRootsCommand({ NextToken }));
        return {
          items: (page.Roots ?? []).map((root) => ({
            id: root.Id!,
            enabledPolicyTypes: (root.PolicyTypes ?? []).filter((p) => p.Status === 'ENABLED').map((p) => p.Type!),
          })),
          next: page.NextToken,
        };
      }),
    organizationalUnitExists: (OrganizationalUnitId) =>
      unless(['OrganizationalUnitNotFoundException'], false, async () => {
        await organizations.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId }));
        return true;
      }),
    accountExists: (AccountId) =>
      unless(['AccountNotFoundException'], false, async () => {
        await organizations.send(new DescribeAccountCommand({ AccountId }));
        return true;
      }),
    servicesWithTrustedAccess: () =>
      allPages(async (NextToken) => {
        const page = await organizations.send(new ListAWSServiceAccessForOrganizationCommand({ NextToken }));
        return { items: (page.EnabledServicePrincipals ?? []).map((s) => s.ServicePrincipal!), next: page.NextToken };
      }),
    assumeAndIdentify: async (RoleArn, ExternalId) => {
      const { Credentials } = await sts.send(
        new AssumeRoleCommand({ RoleArn, ExternalId, RoleSessionName: 'lockdown-preflight', DurationSeconds: 900 }),
      );
      const session = new STSClient({
        ...settings,
        credentials: {
          accessKeyId: Credentials!.AccessKeyId!,
          secretAccessKey: Credentials!.SecretAccessKey!,
          sessionToken: Credentials!.SessionToken!,
        },
      });
      const { Account } = await session.send(new GetCallerIdentityCommand({}));
      return Account!;
    },
  };
}
