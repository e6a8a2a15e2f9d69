import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { Action } from '@lockdown/contracts';
import { CliError, EXIT } from '../errors';
import { Output } from '../output';
import { publishRequests, targetOf } from '@lockdown/publishing';
import { allSucceeded, followRequests } from './follow';
import { collectArns, validateArns } from '../requests';
import { TargetOptions, resolveTarget } from '../target';

export interface PublishCommandOptions extends TargetOptions {
  file?: string;
  reason?: string;
  ticket?: string;
  requestedBy?: string;
  dryRun?: boolean;
  /** The owner account of the S3 buckets among the ARNs. */
  account?: string;
  /** Follow each request in its service's ledger until it is contained, released or failed. */
  wait?: boolean;
  /** With wait: give up after this many seconds. */
  timeout?: string;
  /** With wait: the security account's region, where the ledgers are. */
  region?: string;
}

/** `contain` and `release`: validate every ARN locally, then publish one request per ARN. */
export async function runPublishCommand(
  action: Action,
  arns: string[],
  options: PublishCommandOptions,
  output: Output,
  sns: SNSClient = new SNSClient({}),
  dynamodb: () => DynamoDBClient = () => new DynamoDBClient(options.region ? { region: options.region } : {}),
): Promise<number> {
  const timeoutSeconds = Number(options.timeout ?? '300');
  if (options.wait && options.dryRun)
    throw new CliError('--wait cannot follow a dry run: a dry run records nothing; nothing was sent', EXIT.invalidInput);
  if (options.wait && (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0))
    throw new CliError(`--timeout must be a positive number of seconds, got "${options.timeout}"; nothing was sent`, EXIT.invalidInput);
  const entities = validateArns(collectArns(arns, options.file), options.account);
  const { topicArn, externalId } = await resolveTarget(options, action);
  const results = await publishRequests(
    sns,
    topicArn,
    externalId,
    entities.map(targetOf),
    {
      action,
      ...(options.reason ? { reason: options.reason } : {}),
      ...(options.ticket ? { ticket: options.ticket } : {}),
      requestedBy: options.requestedBy ?? process.env.USER ?? 'lockdown-cli',
      ...(options.dryRun ? { dryRun: true } : {}),
    },
    (done, total) => total > 10 && output.progress(`published ${done}/${total}`),
  );
  const failed = results.filter((r) => r.error);
  output.result({ action, topicArn, published: results.length - failed.length, failed: failed.length, results }, () => {
    for (const r of results) output.line(r.error ? `FAILED  ${r.arn}: ${r.error}` : `sent    ${r.arn}  (request ${r.messageId})`);
    output.line(
      `${results.length - failed.length} ${action} request(s) sent${options.dryRun ? ' as dry runs' : ''}; ${options.wait ? "following them in their services' ledgers" : 'follow them in the audit emails or with `lockdown status <arn>`'}`,
    );
  });
  if (failed.length > 0) throw new CliError(`${failed.length} request(s) could not be published`, EXIT.failed);
  if (!options.wait) return EXIT.ok;

  const followed = await followRequests(
    action,
    results.map((r, i) => ({ entity: entities[i]!, requestId: r.messageId! })),
    { timeoutSeconds },
    dynamodb(),
    output,
  );
  const ok = allSucceeded(followed);
  output.result({ action, followed }, () =>
    output.line(
      ok
        ? `all ${followed.length} request(s) ${action === 'contain' ? 'contained' : 'released'}`
        : `${followed.filter((f) => !['contained', 'released', 'not-contained'].includes(f.state)).length} of ${followed.length} request(s) did not finish: ${followed
            .filter((f) => !['contained', 'released', 'not-contained'].includes(f.state))
            .map((f) => `${f.arn} ${f.state}`)
            .join(', ')}`,
    ),
  );
  return ok ? EXIT.ok : EXIT.failed;
}
