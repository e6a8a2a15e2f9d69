import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedAws, decide } from '@lockdown/sandbox';
import { CliError, EXIT } from '../errors';
import { Output } from '../output';
import { CheckLine, overallOutcome } from '../preflight/outcome';
import { preflightPolicy } from '../preflight/permissions';
import { runPreflight } from './preflight';

const REGION = 'eu-west-1';
const MEMBER = '222222222222';
const STACKSETS = 'member.org.stacksets.cloudformation.amazonaws.com';
const OPERATOR = 'preflight';

/** A directory with the cdk.json an operator would write. */
function project(context: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockdown-preflight-'));
  writeFileSync(join(dir, 'cdk.json'), JSON.stringify({ app: 'npx tsx infra/src/main.ts', context }));
  return dir;
}

/**
 * The security account (the sandbox's home account) with every prerequisite met, one member
 * account, and an operator holding exactly README's preflight policy: the sandbox authorizes each
 * of its calls against it with iam-simulate (AWS's Service Authorization Reference).
 */
function readyAws(): SimulatedAws {
  const aws = new SimulatedAws();
  const home = aws.homeAccountId;
  const prerequisites = aws.prerequisitesOf(home);
  prerequisites.parameters.set(`${REGION}|/cdk-bootstrap/hnb659fds/version`, '27');
  prerequisites.securityHubRegions.add(REGION);
  prerequisites.detectors.set(REGION, { id: 'd0c0ffee' });
  aws.organization = {
    id: 'o-abcdefghij',
    managementAccountId: home,
    featureSet: 'ALL',
    roots: [{ id: 'r-ab12', policyTypes: ['SERVICE_CONTROL_POLICY'] }],
    organizationalUnits: new Set(['ou-ab12-abcdefgh']),
    accounts: new Set([home, MEMBER]),
    trustedAccess: new Set([STACKSETS]),
    delegatedAdministrators: new Map([['guardduty.amazonaws.com', [home]]]),
  };
  aws.seed(home, 'iam', 'CreateRole', { RoleName: 'soar', Path: '/', AssumeRolePolicyDocument: '{"Statement":[]}' });
  aws.seed(home, 'iam', 'CreateUser', { UserName: 'soc-bot', Path: '/' });
  aws.seedMemberRole(MEMBER, 'lockdown-member', 'lockdown-member');
  aws.seed(home, 'iam', 'CreateUser', { UserName: OPERATOR, Path: '/' });
  aws.seed(home, 'iam', 'PutUserPolicy', {
    UserName: OPERATOR,
    PolicyName: 'preflight',
    PolicyDocument: JSON.stringify(preflightPolicy()),
  });
  return aws;
}

/** Runs the command as the operator (its own access key), as `lockdown preflight --json` would. */
async function preflight(aws: SimulatedAws, options: { only?: string } = {}) {
  const home = aws.homeAccountId;
  const cwd = project({
    allowedPublishers: [`arn:aws:iam::${home}:role/soar`, `arn:aws:iam::${home}:user/soc-bot`],
    onboardedAccounts: MEMBER,
    orgGuardTargets: ['r-ab12', 'ou-ab12-abcdefgh', MEMBER],
  });
  const { AccessKey } = aws.seed(home, 'iam', 'CreateAccessKey', { UserName: OPERATOR });
  const stdout: string[] = [];
  const uninstall = aws.install();
  const keyBefore = process.env['AWS_ACCESS_KEY_ID'];
  process.env['AWS_ACCESS_KEY_ID'] = AccessKey.AccessKeyId;
  try {
    const output = new Output(true, (t) => stdout.push(t));
    const exitCode = await runPreflight({ region: REGION, ...options }, output, cwd);
    output.flush();
    expect(stdout).toHaveLength(1);
    // Every call but STS's (which the sandbox does not authorize) was allowed by the policy.
    const operator = `arn:aws:iam::${home}:user/${OPERATOR}`;
    const allowed = new Set(aws.authorizations.filter((a) => a.principal === operator && a.decision === 'Allowed').map((a) => a.operation));
    const made = new Set(aws.calls.filter((c) => c.service !== 'sts').map((c) => `${c.service}:${c.operation}`));
    expect([...made].filter((call) => !allowed.has(call))).toEqual([]);
    return { exitCode, report: JSON.parse(stdout[0]!), made, operator };
  } finally {
    process.env['AWS_ACCESS_KEY_ID'] = keyBefore;
    uninstall();
  }
}

/** Each check's worst outcome. */
const outcomes = (report: { checks: CheckLine[] }) =>
  Object.fromEntries(
    [...new Set(report.checks.map((c) => c.check))].map((check) => [check, overallOutcome(report.checks.filter((c) => c.check === check))]),
  );

describe('lockdown preflight against the sandbox (every read through the SDK and its deserializers)', () => {
  it("passes every check in a ready organization, with README's policy and nothing more: one JSON document, exit code 0", async () => {
    const aws = readyAws();

    const { exitCode, report, made, operator } = await preflight(aws);

    expect(report.checks.filter((c: CheckLine) => c.outcome !== 'pass')).toEqual([]);
    expect(Object.keys(outcomes(report))).toHaveLength(8);
    expect(report).toMatchObject({ account: aws.homeAccountId, region: REGION, outcome: 'pass' });
    expect(exitCode).toBe(0);
    expect(made.size).toBe(12);
    expect(aws.calls.filter((c) => !/^(Get|List|Describe)/.test(c.operation) && c.operation !== 'AssumeRole')).toEqual([]);
    // STS is asked directly: the policy lets the operator try the member role, and no other role.
    const policies = [{ name: 'preflight', policy: preflightPolicy() }];
    const assume = (role: string) =>
      decide(operator, aws.homeAccountId, policies, { action: 'sts:AssumeRole', resource: role, context: {} });
    expect(await assume(`arn:aws:iam::${MEMBER}:role/lockdown-member`)).toBe('Allowed');
    expect(await assume(`arn:aws:iam::${MEMBER}:role/Admin`)).toBe('ImplicitlyDenied');
  });

  it.each([
    [{ only: 'bootstrapp' }, /^--only takes bootstrap, principals/],
    [{ context: ['allowedPublishers'] }, /^-c takes key=value, got "allowedPublishers"; nothing was checked$/],
    [{ context: ['auditEmail=soc@example.com'] }, /^unknown lockdown setting auditEmail; .*; nothing was checked$/],
    [
      { context: ['orgGuardTargets=root'] },
      /^invalid lockdown configuration: orgGuardTargets.0: orgGuardTargets must be root, OU or account ids; nothing was checked$/,
    ],
  ])('refuses bad input %j with exit code 2 before any AWS call', async (options, message) => {
    const aws = readyAws();
    const uninstall = aws.install();
    try {
      const refused = runPreflight(options, new Output(true, () => undefined), project({}));

      await expect(refused).rejects.toThrow(message);
      await expect(refused).rejects.toMatchObject({ exitCode: 2 });
      await expect(refused).rejects.toBeInstanceOf(CliError);
      expect(aws.calls).toEqual([]);
    } finally {
      uninstall();
    }
  });

  it('README lists exactly the policy the sandbox authorized', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');

    expect(readme).toContain(JSON.stringify(preflightPolicy(), null, 2));
  });

  it('fails each check whose prerequisite is missing, from the errors AWS answers with: exit code 1', async () => {
    const aws = readyAws();
    const home = aws.homeAccountId;
    aws.prerequisites.delete(home); // no bootstrap, no Security Hub, no GuardDuty detector
    aws.organization!.roots[0]!.policyTypes = [];
    aws.organization!.organizationalUnits.clear();
    aws.organization!.trustedAccess.clear();
    aws.accounts.get(home)!.roles.delete('soar');
    aws.accounts.get(home)!.users.delete('soc-bot');
    aws.accounts.get(MEMBER)!.roles.clear();

    const { exitCode, report, made } = await preflight(aws);

    expect(made).toContain('cloudformation:DescribeStacks');
    expect(outcomes(report)).toEqual({
      bootstrap: 'fail',
      principals: 'fail',
      'security-hub': 'fail',
      guardduty: 'fail',
      organization: 'fail',
      'guard-targets': 'fail',
      stacksets: 'fail',
      'member-role': 'warn', // an operator, not a service role: refused, but that proves nothing either way
    });
    expect(report.checks.find((c: CheckLine) => c.check === 'bootstrap').fix).toBe(`npx cdk bootstrap aws://${home}/${REGION}`);
    expect(report.checks.filter((c: CheckLine) => c.check === 'principals' && c.outcome === 'fail')).toHaveLength(2);
    expect(exitCode).toBe(1);
  });

  it('outside an organization: organization, guard targets and StackSets fail from AWSOrganizationsNotInUseException', async () => {
    const aws = readyAws();
    delete aws.organization;

    const { exitCode, report } = await preflight(aws, { only: 'organization,guard-targets,stacksets' });

    expect(outcomes(report)).toEqual({ organization: 'fail', 'guard-targets': 'fail', stacksets: 'fail' });
    expect(report.checks[0].fix).toBe('aws organizations create-organization --feature-set ALL');
    expect(exitCode).toBe(1);
  });

  it('from a member account: what only the management account may read is a warning naming it (exit code 4)', async () => {
    const aws = readyAws();
    aws.organization!.managementAccountId = '333333333333';
    aws.organization!.delegatedAdministrators.clear();

    const { exitCode, report } = await preflight(aws, { only: 'organization,stacksets' });

    expect(outcomes(report)).toEqual({ organization: 'warn', stacksets: 'warn' });
    expect(report.checks.at(-1).message).toContain('management account 333333333333');
    expect(exitCode).toBe(EXIT.warnings);
  });
});
