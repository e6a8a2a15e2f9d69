import { CallContext, ServiceHandlers, newId } from './context';
import { awsError } from './errors';

/**
 * What an account has besides the member-account APIs, per region: the reads `lockdown preflight`
 * makes before a deployment (CDK bootstrap, Security Hub, GuardDuty).
 */
export interface PrerequisiteState {
  /** SSM parameters by `<region>|<name>` (the CDK bootstrap's `/cdk-bootstrap/<qualifier>/version`). */
  parameters: Map<string, string>;
  /** CloudFormation stack statuses by `<region>|<name>`. */
  stacks: Map<string, string>;
  securityHubRegions: Set<string>;
  /** GuardDuty's detector per region, and the administrator account this one is a member of there. */
  detectors: Map<string, { id: string; administrator?: string }>;
}

export function newPrerequisites(): PrerequisiteState {
  return { parameters: new Map(), stacks: new Map(), securityHubRegions: new Set(), detectors: new Map() };
}

/** The organization the sandbox's accounts belong to (Organizations is one per management account). */
export interface OrganizationState {
  id: string;
  managementAccountId: string;
  featureSet: 'ALL' | 'CONSOLIDATED_BILLING';
  roots: Array<{ id: string; policyTypes: string[] }>;
  organizationalUnits: Set<string>;
  accounts: Set<string>;
  /** Service principals with trusted access (`member.org.stacksets.cloudformation.amazonaws.com`). */
  trustedAccess: Set<string>;
  /** Delegated administrator accounts by service principal. */
  delegatedAdministrators: Map<string, string[]>;
}

const key = (region: string, name: string) => `${region}|${name}`;

/** SSM, CloudFormation, Security Hub and GuardDuty reads, with the errors AWS answers when a thing is absent. */
export function prerequisiteHandlers(of: (accountId: string) => PrerequisiteState): Record<string, ServiceHandlers> {
  const state = (context: CallContext) => of(context.account.id);
  const detector = (context: CallContext, id: string) => {
    const found = state(context).detectors.get(context.region);
    if (found?.id !== id)
      throw awsError(
        'BadRequestException',
        'The request is rejected because the input detectorId is not owned by the current account.',
        400,
      );
    return found;
  };
  return {
    ssm: {
      GetParameter: ({ Name }, context) => {
        const value = state(context).parameters.get(key(context.region, Name));
        if (value === undefined) throw awsError('ParameterNotFound', `Parameter ${Name} not found.`, 400);
        return { Parameter: { Name, Value: value, Type: 'String', Version: 1 } };
      },
    },
    cloudformation: {
      DescribeStacks: ({ StackName }, context) => {
        const status = state(context).stacks.get(key(context.region, StackName));
        if (!status) throw awsError('ValidationError', `Stack with id ${StackName} does not exist`, 400);
        return { Stacks: [{ StackName, StackStatus: status, CreationTime: context.now }] };
      },
    },
    securityhub: {
      DescribeHub: (_input, context) => {
        if (!state(context).securityHubRegions.has(context.region))
          throw awsError('InvalidAccessException', `Account ${context.account.id} is not subscribed to AWS Security Hub`, 401);
        return { HubArn: `arn:${context.account.partition}:securityhub:${context.region}:${context.account.id}:hub/default` };
      },
    },
    guardduty: {
      ListDetectors: (_input, context) => {
        const found = state(context).detectors.get(context.region);
        return { DetectorIds: found ? [found.id] : [] };
      },
      GetAdministratorAccount: ({ DetectorId }, context) => {
        const { administrator } = detector(context, DetectorId);
        return administrator
          ? { Administrator: { AccountId: administrator, InvitationId: newId('', 32, '0123456789abcdef'), RelationshipStatus: 'Enabled' } }
          : {};
      },
    },
  };
}

/**
 * Organizations' reads: any account of the organization may describe it; the rest is for the
 * management account and delegated administrators, as AWS enforces.
 */
export function organizationsHandlers(organization: () => OrganizationState | undefined): ServiceHandlers {
  const member = (context: CallContext): OrganizationState => {
    const org = organization();
    if (!org || !org.accounts.has(context.account.id))
      throw awsError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.', 404);
    return org;
  };
  const administrator = (context: CallContext): OrganizationState => {
    const org = member(context);
    const delegated = [...org.delegatedAdministrators.values()].some((ids) => ids.includes(context.account.id));
    if (org.managementAccountId !== context.account.id && !delegated)
      throw awsError('AccessDeniedException', "You don't have permissions to access this resource.", 403);
    return org;
  };
  const arn = (org: OrganizationState, resource: string) => `arn:aws:organizations::${org.managementAccountId}:${resource}`;
  return {
    DescribeOrganization: (_input, context) => {
      const org = member(context);
      return {
        Organization: {
          Id: org.id,
          Arn: arn(org, `organization/${org.id}`),
          FeatureSet: org.featureSet,
          MasterAccountId: org.managementAccountId,
          MasterAccountArn: arn(org, `account/${org.id}/${org.managementAccountId}`),
        },
      };
    },
    ListRoots: (_input, context) => {
      const org = administrator(context);
      return {
        Roots: org.roots.map((root) => ({
          Id: root.id,
          Arn: arn(org, `root/${org.id}/${root.id}`),
          Name: 'Root',
          PolicyTypes: root.policyTypes.map((Type) => ({ Type, Status: 'ENABLED' })),
        })),
      };
    },
    DescribeOrganizationalUnit: ({ OrganizationalUnitId }, context) => {
      const org = administrator(context);
      if (!org.organizationalUnits.has(OrganizationalUnitId))
        throw awsError('OrganizationalUnitNotFoundException', "You specified an organizational unit that doesn't exist.", 404);
      return { OrganizationalUnit: { Id: OrganizationalUnitId, Arn: arn(org, `ou/${org.id}/${OrganizationalUnitId}`) } };
    },
    DescribeAccount: ({ AccountId }, context) => {
      const org = administrator(context);
      if (!org.accounts.has(AccountId)) throw awsError('AccountNotFoundException', "You specified an account that doesn't exist.", 404);
      return { Account: { Id: AccountId, Arn: arn(org, `account/${org.id}/${AccountId}`), Status: 'ACTIVE' } };
    },
    ListAWSServiceAccessForOrganization: (_input, context) => ({
      EnabledServicePrincipals: [...administrator(context).trustedAccess].map((ServicePrincipal) => ({ ServicePrincipal })),
    }),
    ListDelegatedAdministrators: ({ ServicePrincipal }, context) => ({
      DelegatedAdministrators: (administrator(context).delegatedAdministrators.get(ServicePrincipal) ?? []).map((Id) => ({ Id })),
    }),
  };
}
