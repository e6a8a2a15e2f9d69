import { awsErrorCategory } from '@lockdown/containment';

/** Exit codes: 0 done, 1 failed (AWS or a check), 2 invalid input (nothing was sent). */
export const EXIT = { ok: 0, failed: 1, invalidInput: 2 } as const;

/** An error whose message says what to fix; `exitCode` tells the shell what kind it was. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
  }
}

/** Turns SDK errors a user can fix into advice. */
export function explain(error: unknown): string {
  const e = error as { name?: string; message?: string };
  if (e?.name === 'CredentialsProviderError')
    return 'no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or run `aws sso login`)';
  switch (awsErrorCategory(error)) {
    case 'not-found':
      return `not found: ${e.message} (check --topic-arn and the region)`;
    case 'access-denied':
      return `access denied: ${e.message} (your principal needs sns:Publish on the ingress topic)`;
    default:
      return e?.message ?? String(error);
  }
}
