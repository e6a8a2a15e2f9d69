import { CreateDetectorCommand, DeleteDetectorCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { CreateRoleCommand, DeleteRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateOrganizationCommand,
  CreateOrganizationalUnitCommand,
  DisableAWSServiceAccessCommand,
  DisablePolicyTypeCommand,
  EnableAWSServiceAccessCommand,
  EnablePolicyTypeCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPreflight } from '../commands/preflight';
import { Output } from '../output';
import { CheckLine, overallOutcome } from './outcome';

/**
 * `lockdown preflight` against moto (../shared/emulators/moto), an independent wire-level emulator:
 * an organization made ready, then each prerequisite broken in turn; every outcome must be the
 * expected one. The checks moto serves only (its SSM and CloudFormation need a Python module this
 * machine lacks; its Security Hub answers errors as XML). Moto gaps: it does not evaluate the member
 * role's trust (AssumeRole succeeds for any role), and the management account cannot be GuardDuty's
 * delegated administrator, so that line is a warning. Run: `npx tsx tools/cli/src/preflight/against-moto.ts <moto url>`.
 */
const CHECKS = 'principals,guardduty,organization,guard-targets,stacksets,member-role';
const REGION = 'us-east-1';
const STACKSETS = 'member.org.stacksets.cloudformation.amazonaws.com';

async function main(url: string): Promise<number> {
  Object.assign(process.env, { AWS_ENDPOINT_URL: url, AWS_REGION: REGION, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });
  await fetch(`${url}/moto-api/reset`, { method: 'POST' });
  const iam = new IAMClient({});
  const guardDuty = new GuardDutyClient({});
  const organizations = new OrganizationsClient({});

  const outside = await preflight({}, 'organization');
  const { Organization } = await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const account = Organization!.MasterAccountId!;
  const rootId = (await organizations.send(new ListRootsCommand({}))).Roots![0]!.Id!;
  await organizations.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
  const { OrganizationalUnit } = await organizations.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'workloads' }));
  await organizations.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: STACKSETS }));
  await iam.send(new CreateRoleCommand({ RoleName: 'soar', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }));
  await iam.send(
    new CreateRoleCommand({ RoleName: 'lockdown-member', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }),
  );
  const { DetectorId } = await guardDuty.send(new CreateDetectorCommand({ Enable: true }));
  const context = {
    allowedPublishers: `arn:aws:iam::${account}:role/soar`,
    onboardedAccounts: account,
    orgGuardTargets: `${rootId},${OrganizationalUnit!.Id},${account}`,
  };
  const ready = await preflight(context, CHECKS);

  await iam.send(new DeleteRoleCommand({ RoleName: 'soar' }));
  await guardDuty.send(new DeleteDetectorCommand({ DetectorId }));
  await organizations.send(new DisablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
  await organizations.send(new DisableAWSServiceAccessCommand({ ServicePrincipal: STACKSETS }));
  const broken = await preflight({ ...context, orgGuardTargets: `${rootId},000000000001` }, CHECKS);

  const verdicts = [
    verdict('outside an organization', outside, { organization: 'fail' }),
    verdict('ready', ready, {
      principals: 'pass',
      guardduty: 'warn', // the management account is not GuardDuty's delegated administrator (moto refuses to make it one)
      organization: 'pass',
      'guard-targets': 'pass',
      stacksets: 'pass',
      'member-role': 'pass',
    }),
    verdict('each prerequisite broken', broken, {
      principals: 'fail',
      guardduty: 'fail',
      organization: 'fail',
      'guard-targets': 'fail',
      stacksets: 'fail',
      'member-role': 'pass', // moto gap: AssumeRole does not evaluate the trust policy
    }),
  ];
  return verdicts.every(Boolean) ? 0 : 1;
}

async function preflight(context: Record<string, string>, only: string): Promise<CheckLine[]> {
  const cwd = mkdtempSync(join(tmpdir(), 'lockdown-preflight-moto-'));
  writeFileSync(join(cwd, 'cdk.json'), JSON.stringify({ context }));
  const stdout: string[] = [];
  const output = new Output(true, (t) => stdout.push(t));
  await runPreflight({ only, region: REGION }, output, cwd);
  output.flush();
  return (JSON.parse(stdout[0]!) as { checks: CheckLine[] }).checks;
}

function verdict(scenario: string, lines: CheckLine[], expected: Record<string, CheckLine['outcome']>): boolean {
  const got = Object.fromEntries(Object.keys(expected).map((check) => [check, overallOutcome(lines.filter((l) => l.check === check))]));
  const ok = JSON.stringify(got) === JSON.stringify(expected);
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${scenario}: ${JSON.stringify(got)}\n`);
  if (!ok) for (const line of lines) process.stdout.write(`       ${line.outcome} ${line.check}: ${line.message}\n`);
  return ok;
}

const url = process.argv[2];
if (!url) {
  process.stderr.write('usage: tsx tools/cli/src/preflight/against-moto.ts <moto url>\n');
  process.exitCode = 2;
} else
  main(url).then(
    (code) => (process.exitCode = code),
    (error: Error) => {
      process.stderr.write(`${error.name}: ${error.message}\n`);
      process.exitCode = 1;
    },
  );
