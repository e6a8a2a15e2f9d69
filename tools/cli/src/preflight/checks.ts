import { awsErrorCategory } from '@lockdown/containment';
import { SERVICES, lockdownFunctionName } from '@lockdown/contracts';
import { CheckLine, CheckName } from './outcome';
import { checkPrincipals } from './principals';
import { PreflightReads, PreflightSetup } from './reads';

type Check = (setup: PreflightSetup, reads: PreflightReads) => Promise<CheckLine[]>;

const line = (check: CheckName, outcome: CheckLine['outcome'], message: string, fix?: string): CheckLine => ({
  check,
  outcome,
  message,
  ...(fix ? { fix } : {}),
});

/** The oldest bootstrap the stacks accept: CDK's synthesizer checks `BootstrapVersion` >= 6 at deployment. */
export const MIN_BOOTSTRAP_VERSION = 6;
export const STACKSETS_SERVICE_PRINCIPAL = 'member.org.stacksets.cloudformation.amazonaws.com';
export const GUARDDUTY_SERVICE_PRINCIPAL = 'guardduty.amazonaws.com';
const SCP = 'SERVICE_CONTROL_POLICY';

const bootstrap: Check = async (setup, reads) => [
  ...(setup.config.securityAccountId && setup.config.securityAccountId !== setup.caller.account
    ? [
        line(
          'bootstrap',
          'warn',
          `these credentials are for ${setup.caller.account} but securityAccountId is ${setup.config.securityAccountId}: the stacks deploy there, and so must these checks`,
          `run preflight with the security account's credentials (AWS_PROFILE=...)`,
        ),
      ]
    : []),
  await bootstrapVersion(setup, reads),
];

async function bootstrapVersion({ caller, region, qualifier }: PreflightSetup, reads: PreflightReads): Promise<CheckLine> {
  const fix = `npx cdk bootstrap aws://${caller.account}/${region}`;
  const where = `aws://${caller.account}/${region}`;
  const version = await reads.bootstrapVersion(qualifier);
  if (version !== undefined)
    return version >= MIN_BOOTSTRAP_VERSION
      ? line('bootstrap', 'pass', `CDK bootstrap version ${version} (qualifier ${qualifier}) in ${where}`)
      : line('bootstrap', 'fail', `CDK bootstrap version ${version} in ${where} is older than ${MIN_BOOTSTRAP_VERSION}`, fix);
  const status = await reads.toolkitStackStatus();
  return status
    ? line(
        'bootstrap',
        'fail',
        `the CDKToolkit stack is there (${status}) but not its parameter /cdk-bootstrap/${qualifier}/version: bootstrapped with another qualifier?`,
        `${fix} (with --qualifier ${qualifier}, or set @aws-cdk/core:bootstrapQualifier)`,
      )
    : line('bootstrap', 'fail', `${where} is not CDK-bootstrapped: no stack can be deployed there`, fix);
}

const securityHub: Check = async ({ config, region }, reads) => {
  if (!config.triggers.securityHubActions)
    return [line('security-hub', 'pass', 'not needed: triggers.securityHubActions is false (no custom actions to create)')];
  return [
    (await reads.securityHubEnabled())
      ? line('security-hub', 'pass', `Security Hub is enabled in ${region}`)
      : line(
          'security-hub',
          'fail',
          `Security Hub is not enabled in ${region}: LockdownTriggers cannot create its custom actions`,
          `aws securityhub enable-security-hub --region ${region}`,
        ),
  ];
};

/** Undefined when these credentials may not list them (only the management account and delegated administrators may). */
async function delegatedAdministrators(reads: PreflightReads, principal: string): Promise<string[] | undefined> {
  try {
    return await reads.delegatedAdministrators(principal);
  } catch (error) {
    if (awsErrorCategory(error) === 'access-denied') return undefined;
    throw error;
  }
}

const guardDuty: Check = async ({ caller, region, otherRegions }, reads) => {
  const [detector] = await reads.guardDutyDetectors(region);
  if (!detector)
    return [
      line(
        'guardduty',
        'fail',
        `no GuardDuty detector in ${region}: no finding reaches LockdownTriggers`,
        `aws guardduty create-detector --enable --region ${region}`,
      ),
    ];
  const lines = [line('guardduty', 'pass', `GuardDuty detector ${detector} in ${region}`)];
  const administrator = await reads.guardDutyAdministrator(detector);
  const delegated = await delegatedAdministrators(reads, GUARDDUTY_SERVICE_PRINCIPAL);
  const becomeAdmin = `in the management account: aws guardduty enable-organization-admin-account --admin-account-id ${caller.account} --region ${region}`;
  if (administrator && administrator !== caller.account)
    lines.push(
      line(
        'guardduty',
        'warn',
        `this account is a GuardDuty member of ${administrator}: the organization's findings arrive there, not here`,
        `deploy LockdownTriggers in ${administrator}, or make this account the administrator: ${becomeAdmin}`,
      ),
    );
  else if (delegated?.includes(caller.account))
    lines.push(line('guardduty', 'pass', "this account is GuardDuty's delegated administrator: the organization's findings arrive here"));
  else if (delegated === undefined)
    lines.push(
      line(
        'guardduty',
        'warn',
        "cannot verify from this account whether it is GuardDuty's delegated administrator (organizations:ListDelegatedAdministrators is for the management account and delegated administrators)",
        `in the management account: aws organizations list-delegated-administrators --service-principal ${GUARDDUTY_SERVICE_PRINCIPAL}`,
      ),
    );
  else
    lines.push(
      line(
        'guardduty',
        'warn',
        `this account is not GuardDuty's delegated administrator${delegated.length ? ` (${delegated.join(', ')} is)` : ''}: only its own findings arrive here`,
        becomeAdmin,
      ),
    );
  for (const other of otherRegions.filter((r) => r !== region)) {
    const detectors = await reads.guardDutyDetectors(other);
    if (detectors.length > 0)
      lines.push(
        line(
          'guardduty',
          'warn',
          `GuardDuty has a detector in ${other} too: its findings stay in ${other} (GuardDuty does not aggregate across regions) and never reach the triggers in ${region}`,
          `deploy lockdown's triggers in ${other} as well (AWS_REGION=${other}), or forward ${other}'s GuardDuty findings to ${region} with an EventBridge rule`,
        ),
      );
  }
  return lines;
};

const NO_ORGANIZATION = line(
  'organization',
  'fail',
  'this account is in no organization: the guard (LockdownOrgGuard) and the member StackSet need one',
  'aws organizations create-organization --feature-set ALL',
);

/** The roots, or undefined (with a warning line) when only the management account may read them. */
async function rootsOrWarning(check: CheckName, setup: PreflightSetup, reads: PreflightReads, managementAccountId: string) {
  try {
    return { roots: await reads.roots() };
  } catch (error) {
    if (awsErrorCategory(error) !== 'access-denied' || setup.caller.account === managementAccountId) throw error;
    return {
      warning: line(
        check,
        'warn',
        `cannot verify from this account: the organization's roots are read in its management account ${managementAccountId} (or a delegated administrator for policies)`,
        `run there: lockdown preflight --only organization,guard-targets,stacksets`,
      ),
    };
  }
}

const organization: Check = async (setup, reads) => {
  const org = await reads.organization();
  if (!org) return [NO_ORGANIZATION];
  const lines: CheckLine[] = [];
  if (setup.config.organizationId && setup.config.organizationId !== org.id)
    lines.push(
      line(
        'organization',
        'fail',
        `organizationId is ${setup.config.organizationId} but this account is in ${org.id}: the member role would refuse every service (aws:PrincipalOrgID)`,
        `set organizationId=${org.id}, or run preflight in the right organization`,
      ),
    );
  if (org.featureSet !== 'ALL')
    return [
      ...lines,
      line(
        'organization',
        'fail',
        `organization ${org.id} has only consolidated billing: service control policies need all features`,
        'aws organizations enable-all-features (then every member account accepts the handshake)',
      ),
    ];
  const { roots, warning } = await rootsOrWarning('organization', setup, reads, org.managementAccountId);
  if (!roots) return [...lines, line('organization', 'pass', `organization ${org.id} (all features)`), warning];
  for (const root of roots)
    lines.push(
      root.enabledPolicyTypes.includes(SCP)
        ? line('organization', 'pass', `organization ${org.id}: service control policies are enabled on root ${root.id}`)
        : line(
            'organization',
            'fail',
            `service control policies are not enabled on root ${root.id}: LockdownOrgGuard cannot create its policy`,
            `aws organizations enable-policy-type --root-id ${root.id} --policy-type ${SCP}`,
          ),
    );
  return lines;
};

const guardTargets: Check = async (setup, reads) => {
  const targets = setup.config.orgGuardTargets;
  if (targets.length === 0)
    return [
      line(
        'guard-targets',
        'warn',
        'orgGuardTargets is empty: the guard is created but attached nowhere',
        'set orgGuardTargets (a root, OUs or accounts), e.g. -c orgGuardTargets=r-xxxx',
      ),
    ];
  const org = await reads.organization();
  if (!org) return [{ ...NO_ORGANIZATION, check: 'guard-targets' }];
  const { roots, warning } = await rootsOrWarning('guard-targets', setup, reads, org.managementAccountId);
  if (!roots) return [warning];
  const lines: CheckLine[] = [];
  for (const target of targets) {
    const exists = target.startsWith('r-')
      ? roots.some((r) => r.id === target)
      : target.startsWith('ou-')
        ? await reads.organizationalUnitExists(target)
        : await reads.accountExists(target);
    lines.push(
      exists
        ? line('guard-targets', 'pass', `orgGuardTargets: ${target} exists in ${org.id}`)
        : line(
            'guard-targets',
            'fail',
            `orgGuardTargets: ${target} is not in organization ${org.id}: attaching the guard fails and LockdownOrgGuard rolls back`,
            'correct orgGuardTargets (aws organizations list-roots, list-organizational-units-for-parent, list-accounts)',
          ),
    );
  }
  return lines;
};

const stackSets: Check = async (setup, reads) => {
  const org = await reads.organization();
  if (!org) return [{ ...NO_ORGANIZATION, check: 'stacksets' }];
  let principals: string[];
  try {
    principals = await reads.servicesWithTrustedAccess();
  } catch (error) {
    if (awsErrorCategory(error) !== 'access-denied' || setup.caller.account === org.managementAccountId) throw error;
    return [
      line(
        'stacksets',
        'warn',
        `cannot verify from this account: trusted access is read in the management account ${org.managementAccountId}`,
        'run there: lockdown preflight --only stacksets',
      ),
    ];
  }
  return [
    principals.includes(STACKSETS_SERVICE_PRINCIPAL)
      ? line(
          'stacksets',
          'pass',
          'trusted access for CloudFormation StackSets is enabled (service-managed StackSets can deploy the member role)',
        )
      : line(
          'stacksets',
          'fail',
          'trusted access for CloudFormation StackSets is not enabled: the service-managed StackSet of the member role cannot be created',
          'in the management account: aws cloudformation activate-organizations-access',
        ),
  ];
};

/** The member role trusts lockdown's service roles only (aws:PrincipalArn): whether these credentials are one of them. */
function isServiceRoleSession(setup: PreflightSetup): boolean {
  const session = /^arn:[\w-]+:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(setup.caller.arn);
  const securityAccount = setup.config.securityAccountId ?? setup.caller.account;
  return session?.[1] === securityAccount && SERVICES.some((s) => lockdownFunctionName(s) === session[2]);
}

const memberRole: Check = async (setup, reads) => {
  const { config, caller, memberAccounts } = setup;
  if (memberAccounts.length === 0)
    return [
      line(
        'member-role',
        'warn',
        'onboardedAccounts is all: no member account to try',
        'name some with --accounts <id,id> (e.g. one per OU the StackSet targets)',
      ),
    ];
  const trusted = isServiceRoleSession(setup);
  const lines: CheckLine[] = [];
  for (const account of memberAccounts) {
    const roleArn = `arn:${caller.partition}:iam::${account}:role/${config.memberRoleName}`;
    try {
      const actsIn = await reads.assumeAndIdentify(roleArn, config.memberExternalId);
      lines.push(
        actsIn === account
          ? line('member-role', 'pass', `${roleArn} can be assumed with the ExternalId (session acts in ${actsIn})`)
          : line('member-role', 'fail', `${roleArn}: the session acts in ${actsIn}, not ${account}`),
      );
    } catch (error) {
      const reason = (error as Error).message;
      lines.push(
        trusted
          ? line(
              'member-role',
              'fail',
              `${roleArn} cannot be assumed (${reason}): the StackSet has not reached ${account}, or its ExternalId or trust differ from this configuration`,
              `aws cloudformation list-stack-instances --stack-set-name lockdown-member --call-as SELF (in the management account); redeploy the StackSet with this configuration`,
            )
          : line(
              'member-role',
              'warn',
              `${roleArn} cannot be assumed by ${caller.arn} (${reason}): expected, the role trusts only lockdown's service roles (aws:PrincipalArn), so whether it exists cannot be verified with these credentials`,
              `aws cloudformation list-stack-instances --stack-set-name lockdown-member --call-as SELF (in the management account): each account CURRENT`,
            ),
      );
    }
  }
  return lines;
};

/** Every check by name, each a pure function of the setup and the reads. */
export const CHECKS: Record<CheckName, Check> = {
  bootstrap,
  principals: checkPrincipals,
  'security-hub': securityHub,
  guardduty: guardDuty,
  organization,
  'guard-targets': guardTargets,
  stacksets: stackSets,
  'member-role': memberRole,
};
