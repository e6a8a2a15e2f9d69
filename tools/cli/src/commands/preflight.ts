import { STSClient } from '@aws-sdk/client-sts';
import { ConfigError, LockdownConfig, cdkJsonContext, checkSettingNames, loadConfig } from '@lockdown/services';
import { CliError, EXIT } from '../errors';
import { Output } from '../output';
import { awsPreflightReads } from '../preflight/aws-reads';
import { CheckLine, overallOutcome, preflightExitCode, selectChecks } from '../preflight/outcome';
import { PreflightReads } from '../preflight/reads';
import { runChecks } from '../preflight/run-checks';

export interface PreflightOptions {
  /** `-c key=value`, as the CDK CLI takes them (repeatable). */
  context?: string[];
  only?: string;
  region?: string;
  accounts?: string;
  regions?: string;
}

/** How many onboarded accounts the member-role check tries when --accounts names none. */
export const MEMBER_ACCOUNT_SAMPLE = 5;
/** CDK's default bootstrap qualifier, and the context key that changes it. */
const DEFAULT_QUALIFIER = 'hnb659fds';
const QUALIFIER_KEY = '@aws-cdk/core:bootstrapQualifier';

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/** The configuration the stacks would read: cdk.json's context in `cwd`, then `-c key=value`. */
export function preflightContext(cwd: string, pairs: string[] = []): Record<string, unknown> {
  const context = cdkJsonContext(cwd);
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new CliError(`-c takes key=value, got "${pair}"; nothing was checked`, EXIT.invalidInput);
    context[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return context;
}

function configOf(context: Record<string, unknown>): LockdownConfig {
  try {
    checkSettingNames(Object.keys(context));
    return loadConfig((key) => context[key]);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(`${error.message}; nothing was checked`, EXIT.invalidInput);
    throw error;
  }
}

/**
 * `lockdown preflight`: read-only checks of every prerequisite of a deployment, in the accounts
 * and regions the configuration names, each a pass/warn/fail line with the command that fixes it.
 */
export async function runPreflight(
  options: PreflightOptions,
  output: Output,
  cwd = process.cwd(),
  readsFor: (region: string) => PreflightReads = awsPreflightReads,
): Promise<number> {
  const checks = selectChecks(options.only);
  if (typeof checks === 'string') throw new CliError(checks, EXIT.invalidInput);
  const context = preflightContext(cwd, options.context);
  const config = configOf(context);
  // The SDK's own region chain (--region, then AWS_REGION, the profile, ...), as the CDK CLI resolves it.
  const region = await new STSClient(options.region ? { region: options.region } : {}).config.region();
  const reads = readsFor(region);
  const caller = await reads.callerIdentity();
  const onboarded = config.onboardedAccounts === 'all' ? [] : config.onboardedAccounts;
  const setup = {
    config,
    caller: { ...caller, partition: caller.arn.split(':')[1] ?? 'aws' },
    region,
    qualifier: String(context[QUALIFIER_KEY] ?? DEFAULT_QUALIFIER),
    otherRegions: list(options.regions),
    memberAccounts: options.accounts ? list(options.accounts) : onboarded.slice(0, MEMBER_ACCOUNT_SAMPLE),
  };
  const lines = await runChecks(checks, setup, reads);
  const outcome = overallOutcome(lines);
  output.result({ account: caller.account, caller: caller.arn, region, outcome, checks: lines }, () => print(output, setup, lines));
  return preflightExitCode(lines);
}

function print(output: Output, setup: { caller: { account: string; arn: string }; region: string }, lines: CheckLine[]): void {
  output.line(`lockdown preflight in account ${setup.caller.account}, region ${setup.region} (as ${setup.caller.arn})`);
  for (const line of lines) {
    output.line(`  ${line.outcome.toUpperCase().padEnd(4)}  ${line.check.padEnd(13)}  ${line.message}`);
    if (line.fix && line.outcome !== 'pass') output.line(`  ${''.padEnd(4)}  ${''.padEnd(13)}  fix: ${line.fix}`);
  }
  const count = (outcome: CheckLine['outcome']) => lines.filter((l) => l.outcome === outcome).length;
  output.line(`${count('pass')} passed, ${count('warn')} warning(s), ${count('fail')} failed`);
}
