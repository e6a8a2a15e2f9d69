import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedAws } from '@lockdown/sandbox';
import { Output } from '../output';
import { runPreflight } from './preflight';

const REGION = 'eu-west-1';
const MEMBER = '222222222222';
const STACKSETS = 'member.org.stacksets.cloudformation.amazonaws.com';

/** A directory with the cdk.json an operator would write. */
function project(context: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockdown-preflight-'));
  writeFileSync(join(dir, 'cdk.json'), JSON.stringify({ app: 'npx tsx infra/src/main.ts', context }));
  return dir;
}

/** The security account (the sandbox's home account) with every prerequisite met, and one member account. */
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
  aws.seedMemberRole(MEMBER, 'lockdown-member', 'lockdown-member');
  return aws;
}

async function preflight(aws: SimulatedAws, options: { only?: string } = {}) {
  const home = aws.homeAccountId;
  const cwd = project({
    allowedPublishers: `arn:aws:iam::${home}:role/soar`,
    onboardedAccounts: MEMBER,
    orgGuardTargets: ['r-ab12', 'ou-ab12-abcdefgh'],
  });
  const stdout: string[] = [];
  const uninstall = aws.install();
  try {
    const exitCode = await runPreflight({ region: REGION, ...options }, new Output(true, (t) => stdout.push(t)), cwd);
    expect(stdout).toHaveLength(1);
    return { exitCode, report: JSON.parse(stdout[0]!) };
  } finally {
    uninstall();
  }
}

const outcomes = (report: { checks: Array<{ check: string; outcome: string }> }) =>
  Object.fromEntries(report.checks.map((c) => [c.check, c.outcome]));

describe('lockdown preflight against the sandbox (every read through the SDK and its deserializers)', () => {
  it('passes every check in a ready organization: one JSON document, exit code 0', async () => {
    const aws = readyAws();

    const { exitCode, report } = await preflight(aws);

    expect(report.checks.filter((c: { outcome: string }) => c.outcome !== 'pass')).toEqual([]);
    expect(Object.keys(outcomes(report))).toHaveLength(8);
    expect(report).toMatchObject({ account: aws.homeAccountId, region: REGION, outcome: 'pass' });
    expect(exitCode).toBe(0);
    expect(aws.calls.filter((c) => !/^(Get|List|Describe)/.test(c.operation) && c.operation !== 'AssumeRole')).toEqual([]);
  });

  it('fails each check whose prerequisite is missing, from the errors AWS answers with: exit code 1', async () => {
    const aws = readyAws();
    const home = aws.homeAccountId;
    aws.prerequisites.delete(home); // no bootstrap, no Security Hub, no GuardDuty detector
    aws.organization!.roots[0]!.policyTypes = [];
    aws.organization!.organizationalUnits.clear();
    aws.organization!.trustedAccess.clear();
    aws.accounts.get(home)!.roles.delete('soar');
    aws.accounts.get(MEMBER)!.roles.clear();

    const { exitCode, report } = await preflight(aws);

    expect(outcomes(report)).toEqual({
      bootstrap: 'fail',
      principals: 'fail',
      'security-hub': 'fail',
      guardduty: 'fail',
      organization: 'fail',
      'guard-targets': 'fail',
      stacksets: 'fail',
      'member-role': 'warn', // the sandbox's caller is an operator, not a service role: refused, but nothing is proven
    });
    expect(report.checks.find((c: { check: string }) => c.check === 'bootstrap').fix).toBe(`npx cdk bootstrap aws://${home}/${REGION}`);
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

  it('from a member account: what only the management account may read is a warning naming it (exit code 3)', async () => {
    const aws = readyAws();
    aws.organization!.managementAccountId = '333333333333';
    aws.organization!.delegatedAdministrators.clear();

    const { exitCode, report } = await preflight(aws, { only: 'organization,stacksets' });

    expect(outcomes(report)).toEqual({ organization: 'warn', stacksets: 'warn' });
    expect(report.checks.at(-1).message).toContain('management account 333333333333');
    expect(exitCode).toBe(3);
  });
});
