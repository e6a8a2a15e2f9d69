import { Option } from 'commander';
import { commandLine } from '@lockdown/cli';
import { DEFAULT_PROPAGATION_SECONDS, runDrillCommand } from './drill-command';

// Named as it is run: the usage line and a usage error's hint say `npm run drill -- ...`.
const { program, output, run, parse } = commandLine(
  'npm run drill --',
  'run the whole pipeline locally (emulated SNS/SQS/DynamoDB and member account) and check it end to end',
);

program
  .option('--endpoint <url>', 'use an AWS-compatible endpoint for IAM, STS, Lambda and EC2 instead of the built-in sandbox')
  .addOption(new Option('--untracked-window <seconds>', 'EC2 untracked window').default('2'))
  .addOption(new Option('--timeout <seconds>', 'give up after').default('90'))
  .option('--emails', 'print every audit email that would have been sent')
  .addOption(new Option('--no-emails', 'leave the audit emails out (the default; accepted for older scripts)').hideHelp())
  .option(
    '--adversary',
    'the adversarial drill: an attacker per compromised entity (its own credentials and a second administrator) against the tamper watch alone, then under the organization guard, with IAM eventual consistency modelled; prints the scorecard (sandbox only)',
  )
  .option(
    '--propagation-delay <seconds>',
    `with --adversary: how long IAM takes to enforce a change (default: ${DEFAULT_PROPAGATION_SECONDS})`,
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

parse();
