import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { runCleanup } from './commands/cleanup';
import { PlanOptions, runPlan } from './commands/plan';
import { runPreflight } from './commands/preflight';
import { runPublishCommand } from './commands/publish-command';
import { runStatus } from './commands/status';
import { runReport } from './report/report-command';
import { commandLine } from './command-line';
import { TOPIC_SOURCES } from './target';
import { regionConfig, securityRegion } from './region';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AUTHORITIES, Authority } from '@lockdown/contracts';

/** The workspace's version (lockdown is one package). */
const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };

import { CHECK_NAMES } from './preflight/outcome';

const { program, output, run, parse } = commandLine(
  'lockdown',
  'Contain compromised AWS entities (IAM users and roles, Lambda functions, EC2 instances, S3 buckets) and release them exactly.',
  version,
);

const ACCOUNT_FLAG = '--account <id>';
const ACCOUNT_HELP =
  'the owner account of the S3 buckets among the ARNs, the Identity Center account of Identity Center users (their ARNs name none)';
const INSTANCE_REGION_FLAG = '--instance-region <region>';
const INSTANCE_REGION_HELP = "the Identity Center instance's home region, for Identity Center users (their ARNs name none)";
const target = (command: Command, authority: Authority) => {
  const source = TOPIC_SOURCES[authority];
  return command
    .option(
      `${source.flag} <arn>`,
      `${AUTHORITIES[authority].label} (default: $${source.env}, then the LockdownCore stack output ${source.output})`,
    )
    .option('--external-id <id>', "ExternalId (default: $LOCKDOWN_EXTERNAL_ID, then the stack's secret)")
    .option('--stack <name>', 'core stack to read outputs from', 'LockdownCore')
    .option('--reason <text>', 'why (shown in the audit emails)')
    .option('--ticket <id>', 'ticket or case reference')
    .option('--requested-by <who>', 'who asks (default: $USER)')
    .option(ACCOUNT_FLAG, ACCOUNT_HELP)
    .option(INSTANCE_REGION_FLAG, INSTANCE_REGION_HELP);
};

const waiting = (command: Command) =>
  command
    .option('--wait', "follow each request in its service's ledger until it is done; the exit code says how it ended")
    .option('--timeout <seconds>', 'with --wait: give up after', '300')
    .option('--region <region>', "the security account's region: the topic's and the ledgers' (default: the topic ARN's, then the SDK's)")
    .option(
      '--audit-topic-arn <arn>',
      "with --wait: the audit topic, to see the intake's refusals at once (default: $LOCKDOWN_AUDIT_TOPIC_ARN, then lockdown-audit next to the topic)",
    );

waiting(target(program.command('contain').description('contain one or more entities').argument('[arn...]', 'entity ARNs'), 'ingress'))
  .option('-f, --file <path>', 'read ARNs from a file, one per line (- for stdin)')
  .option('--dry-run', 'plan only: the services report what they would do and change nothing')
  .option('--since <time>', 'when the compromise was first seen (ISO 8601, or 30h, 3d ago): the persistence sweep reads from there')
  .action(async (arns: string[], options) => run(() => runPublishCommand('contain', arns, options, output())));

waiting(
  target(
    program
      .command('release')
      .description('restore the recorded pre-containment state (through the release topic: releasers only)')
      .argument('[arn...]', 'entity ARNs'),
    'release',
  ),
)
  .option('-f, --file <path>', 'read ARNs from a file, one per line (- for stdin)')
  .option('--dry-run', 'report what a release would undo')
  .action(async (arns: string[], options) => run(() => runPublishCommand('release', arns, options, output())));

program
  .command('status')
  .description("show an entity's containment record (from its service's ledger)")
  .argument('<arn>', 'entity ARN')
  .option('--table <name>', 'ledger table (default: lockdown-<service>-ledger)')
  .option(
    '--region <region>',
    "the security account's region, where the ledgers are (default: the region of $LOCKDOWN_TOPIC_ARN, then the SDK's, e.g. $AWS_REGION)",
  )
  .option(ACCOUNT_FLAG, ACCOUNT_HELP)
  .option(INSTANCE_REGION_FLAG, INSTANCE_REGION_HELP)
  .action(async (arn: string, options) => run(() => runStatus(arn, options, output())));

program
  .command('report')
  .description("write the post-incident report of one containment (from its service's ledger): one self-contained HTML file, or Markdown")
  .argument('<request-id-or-arn>', 'the request that started or released the containment, or the entity ARN')
  .option('--format <format>', 'html or markdown', 'html')
  .option('--out <file>', 'where to write it (default: lockdown-report-<request id>.html, or .md)')
  .option('--table <name>', "ledger table (default: lockdown-<service>-ledger; a request id is searched in every service's)")
  .option('--region <region>', "the security account's region, where the ledgers are (default: the SDK's, e.g. $AWS_REGION)")
  .option(ACCOUNT_FLAG, ACCOUNT_HELP)
  .option(INSTANCE_REGION_FLAG, INSTANCE_REGION_HELP)
  .action(async (target: string, options) =>
    run(() => runReport(target, options, output(), new DynamoDBClient(regionConfig(securityRegion(options))))),
  );

program
  .command('plan')
  .description('explain offline what containment does for this entity and which API calls it makes')
  .argument('<arn>', 'entity ARN')
  .option(ACCOUNT_FLAG, ACCOUNT_HELP)
  .option(INSTANCE_REGION_FLAG, INSTANCE_REGION_HELP)
  .option(
    '--security-account <id>',
    'the account lockdown runs in: its own roles, functions and bootstrap bucket there are refused, as the intake does',
  )
  .action(async (arn: string, options: PlanOptions) => run(async () => runPlan(arn, output(), options)));

program
  .command('cleanup')
  .description('list (and with --apply delete) the security groups lockdown created that nothing uses any more')
  .requiredOption('--account <id>', 'account id (checked against your credentials)')
  .requiredOption('--region <region>', 'region')
  .option('--apply', 'delete them')
  .action(async (options) => run(() => runCleanup(options, output())));

program
  .command('preflight')
  .description('check every prerequisite of a deployment (read-only): exit 0 all pass, 1 a check failed, 3 warnings only')
  .option(
    '-c, --context <key=value>',
    'a setting, as with the CDK CLI (repeatable; on top of cdk.json)',
    (v: string, all: string[] = []) => [...all, v],
  )
  .option('--only <checks>', `comma-separated: ${CHECK_NAMES.join(', ')}`)
  .option('--region <region>', "the security account's region, where the stacks deploy (default: the SDK's)")
  .option('--accounts <ids>', 'member accounts in which to assume the member role (default: the first onboardedAccounts)')
  .option('--regions <regions>', 'other regions in which to look for GuardDuty detectors whose findings would not reach the triggers')
  .action(async (options) => run(() => runPreflight(options, output())));

parse();
