import { awsErrorCategory } from '@lockdown/containment';

/**
 * Exit codes: 0 done, 1 failed (AWS or a check), 2 invalid input (nothing was sent), 3 nothing to
 * release (`release --wait` of something lockdown never contained, or released already), 4 warnings
 * only (`preflight`).
 */
export const EXIT = { ok: 0, failed: 1, invalidInput: 2, nothingToRelease: 3, warnings: 4 } as const;

/** An error whose message says what to fix; `exitCode` tells the shell what kind it was. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
  }
}

/**
 * The SDK's "not configured" errors (no region, no credentials), said one way: what is missing and
 * what to set. Every command reports them with this message and exit code 2 (nothing was sent).
 */
export function awsConfigProblem(error: unknown): CliError | undefined {
  const e = error as { name?: string; message?: string };
  const missing =
    e?.name === 'CredentialsProviderError'
      ? 'no credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or run `aws sso login`)'
      : e?.message === 'Region is missing' || e?.message?.startsWith('Region not accepted: region="" ')
        ? "no region: set AWS_REGION (the security account's region), or pass --region where the command has it"
        : undefined;
  return missing ? new CliError(`AWS is not configured here, ${missing}; nothing was done`, EXIT.invalidInput) : undefined;
}

/** A ledger table that does not exist: lockdown is not deployed in that region (or not at all). */
export function ledgerProblem(error: unknown, table: string, region: string): unknown {
  return awsErrorCategory(error) === 'not-found'
    ? new CliError(`lockdown is not deployed in ${region} (no table ${table}): pass --region <the security account's region>`)
    : error;
}

/** Turns SDK errors a user can fix into advice. */
export function explain(error: unknown): string {
  const e = error as { name?: string; message?: string };
  switch (awsErrorCategory(error)) {
    case 'not-found':
      return `not found: ${e.message} (check --topic-arn or --release-topic-arn, and --region or the region in the topic ARN)`;
    case 'access-denied':
      return `access denied: ${e.message} (your principal needs sns:Publish on the ingress topic)`;
    default:
      return e?.message ?? String(error);
  }
}
