import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Command, Option } from 'commander';
import { runCleanup } from './commands/cleanup';
import { DEFAULT_PROPAGATION_SECONDS, runDrillCommand } from './commands/drill';
import { runPlan } from './commands/plan';
import { runPublishCommand } from './commands/publish-command';
import { runStatus } from './commands/status';
import { runReport } from './report/report-command';
import { CliError, EXIT, awsConfigProblem, explain } from './errors';
import { Output } from './output';
import { TOPIC_SOURCES } from './target';
import { AUTHORITIES, Authority } from '@lockdown/contracts';

const program = new Command('lockdown')
  .description(
    'Contain compromised AWS entities (IAM users and roles, Lambda functions, EC2 instances, S3 buckets) and release them exactly.',
  )
  .option('--json', 'print one JSON document (for machines)')
  .showHelpAfterError()
  .configureHelp({ showGlobalOptions: true })
  .exitOverride();

// Output piped into a command that stops reading (`lockdown plan ... | head`): end quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? EXIT.ok);
});

const output = () => new Output(Boolean(program.opts()['json']));
const ACCOUNT_FLAG = '--account <id>';
const ACCOUNT_HELP = 'the owner account of the S3 buckets among the ARNs (S3 ARNs name none)';
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
    .option(ACCOUNT_FLAG, ACCOUNT_HELP);
};

const waiting = (command: Command) =>
  command
    .option('--wait', "follow each request in its service's ledger until it is done; the exit code says how it ended")
    .option('--timeout <seconds>', 'with --wait: give up after', '300')
    .option('--region <region>', "with --wait: the security account's region, where the ledgers are (default: the SDK's)");

waiting(target(program.command('contain').description('contain one or more entities').argument('[arn...]', 'entity ARNs'), 'ingress'))
  .option('-f, --file <path>', 'read ARNs from a file, one per line (- for stdin)')
  .option('--dry-run', 'plan only: the services report what they would do and change nothing')
  .action(async (arns: string[], options) => run(() => runPublishCommand('contain', arns, options, output())));

waiting(
  target(
    program
      .command('release')
      .description('restore the recorded pre-containment state (through the release topic: releasers only)')
      .argument('<arn>', 'entity ARN'),
    'release',
  ),
)
  .option('--dry-run', 'report what a release would undo')
  .action(async (arn: string, options) => run(() => runPublishCommand('release', [arn], options, output())));

program
  .command('status')
  .description("show an entity's containment record (from its service's ledger)")
  .argument('<arn>', 'entity ARN')
  .option('--table <name>', 'ledger table (default: lockdown-<service>-ledger)')
  .option('--region <region>', "the security account's region, where the ledgers are (default: the SDK's, e.g. $AWS_REGION)")
  .option(ACCOUNT_FLAG, ACCOUNT_HELP)
  .action(async (arn: string, options) =>
    run(() => runStatus(arn, options, output(), new DynamoDBClient(options.region ? { region: options.region } : {}))),
  );

program
  .command('report')
  .description("write the post-incident report of one containment (from its service's ledger): one self-contained HTML file, or Markdown")
  .argument('<request-id-or-arn>', 'the request that started or released the containment, or the entity ARN')
  .option('--format <format>', 'html or markdown', 'html')
  .option('--out <file>', 'where to write it (default: lockdown-report-<request id>.html, or .md)')
  .option('--table <name>', "ledger table (default: lockdown-<service>-ledger; a request id is searched in every service's)")
  .option('--region <region>', "the security account's region, where the ledgers are (default: the SDK's, e.g. $AWS_REGION)")
  .option(ACCOUNT_FLAG, ACCOUNT_HELP)
  .action(async (target: string, options) =>
    run(() => runReport(target, options, output(), new DynamoDBClient(options.region ? { region: options.region } : {}))),
  );

program
  .command('plan')
  .description('explain offline what containment does for this entity and which API calls it makes')
  .argument('<arn>', 'entity ARN')
  .option(ACCOUNT_FLAG, ACCOUNT_HELP)
  .action(async (arn: string, options: { account?: string }) => run(async () => runPlan(arn, output(), undefined, options.account)));

program
  .command('cleanup')
  .description('list (and with --apply delete) the security groups lockdown created that nothing uses any more')
  .requiredOption('--account <id>', 'account id (checked against your credentials)')
  .requiredOption('--region <region>', 'region')
  .option('--apply', 'delete them')
  .action(async (options) => run(() => runCleanup(options, output())));

program
  .command('drill')
  .description('run the whole pipeline locally (emulated SNS/SQS/DynamoDB and member account) and check it end to end')
  .option('--endpoint <url>', 'use an AWS-compatible endpoint for IAM, STS, Lambda and EC2 instead of the built-in sandbox')
  .addOption(new Option('--untracked-window <seconds>', 'EC2 untracked window').default('2'))
  .addOption(new Option('--timeout <seconds>', 'give up after').default('90'))
  .option('--no-emails', 'do not print the audit emails')
  .option(
    '--adversary',
    'the adversarial drill: an attacker per compromised entity (its own credentials and a second administrator) against the tamper watch alone, then under the organization guard, with IAM eventual consistency modelled; prints the scorecard (sandbox only)',
  )
  .addOption(
    new Option('--propagation-delay <seconds>', 'with --adversary: how long IAM takes to enforce a change').default(
      String(DEFAULT_PROPAGATION_SECONDS),
    ),
  )
  .option(
    '--guard',
    "put lockdown's organization guard (its SCP) over the member account: the attacker's tampering must be refused (sandbox only)",
  )
  .option(
    '--report <file>',
    "write an HTML report: each entity's timeline from its ledger (with --adversary: the attempts per entity and configuration)",
  )
  .action(async (options) => run(() => runDrillCommand(options, output())));

async function run(action: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (caught) {
    const error = awsConfigProblem(caught) ?? caught;
    output().error(error instanceof CliError ? error.message : explain(error));
    process.exitCode = error instanceof CliError ? error.exitCode : EXIT.failed;
  }
}

program.parseAsync(process.argv).catch((error: { code?: string; exitCode?: number }) => {
  // commander reports usage errors (and --help) itself; keep its exit code (2 for usage errors).
  process.exitCode = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : EXIT.invalidInput;
});
