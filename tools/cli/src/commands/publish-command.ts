import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Action } from '@lockdown/contracts';
import { CliError, EXIT } from '../errors';
import { Output } from '../output';
import { publishRequests, targetOf } from '@lockdown/publishing';
import { FollowResult, followRequests, succeeded } from './follow';
import { IntakeWatch, auditTopicNextTo } from '../intake-watch';
import { regionConfig, securityRegion } from '../region';
import { collectArns, validateArns } from '../requests';
import { parseSince } from '../since';
import { TargetOptions, resolveTarget } from '../target';

export interface PublishCommandOptions extends TargetOptions {
  file?: string;
  reason?: string;
  ticket?: string;
  requestedBy?: string;
  dryRun?: boolean;
  /** contain: when the compromise was first seen (`parseSince`): the sweep reads CloudTrail from there. */
  since?: string;
  /** The owner account of the S3 buckets among the ARNs, the Identity Center account of Identity Center users. */
  account?: string;
  /** The Identity Center instance's home region, for Identity Center users. */
  instanceRegion?: string;
  /** Follow each request in its service's ledger until it is contained, released or failed. */
  wait?: boolean;
  /** With wait: give up after this many seconds. */
  timeout?: string;
  /** The security account's region (default: the topic ARN's, then the SDK's). */
  region?: string;
  /** With wait: the audit topic whose intake decisions are watched (default: lockdown-audit next to the ingress topic). */
  auditTopicArn?: string;
}

/** How a followed command ended, in words and as an exit code. */
function outcome(action: Action, followed: FollowResult[]): { code: number; summary: string } {
  const unfinished = followed.filter((f) => !succeeded(f));
  const nothing = followed.filter((f) => f.state === 'not-contained');
  if (unfinished.length > 0)
    return {
      code: EXIT.failed,
      summary: `${unfinished.length} of ${followed.length} request(s) did not finish: ${unfinished.map((f) => `${f.arn} ${f.state}`).join(', ')}`,
    };
  if (nothing.length > 0)
    return {
      code: EXIT.nothingToRelease,
      summary: `${followed.length - nothing.length > 0 ? `${followed.length - nothing.length} released; ` : ''}nothing to release: lockdown never contained ${nothing.map((f) => f.arn).join(', ')} (or released it already)`,
    };
  return { code: EXIT.ok, summary: `all ${followed.length} request(s) ${action === 'contain' ? 'contained' : 'released'}` };
}

/** `contain` and `release`: validate every ARN locally, then publish one request per ARN (and with --wait, follow them). */
export async function runPublishCommand(
  action: Action,
  arns: string[],
  options: PublishCommandOptions,
  output: Output,
  sns: SNSClient = new SNSClient(regionConfig(securityRegion(options))),
  dynamodb: () => DynamoDBClient = () => new DynamoDBClient(regionConfig(securityRegion(options))),
  sqs: () => SQSClient = () => new SQSClient(regionConfig(securityRegion(options))),
): Promise<number> {
  const timeoutSeconds = Number(options.timeout ?? '300');
  if (options.wait && options.dryRun)
    throw new CliError('--wait cannot follow a dry run: a dry run records nothing; nothing was sent', EXIT.invalidInput);
  if (options.wait && (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0))
    throw new CliError(`--timeout must be a positive number of seconds, got "${options.timeout}"; nothing was sent`, EXIT.invalidInput);
  const firstSeenAt = options.since === undefined ? undefined : parseSince(options.since);
  const entities = validateArns(collectArns(arns, options.file), options.account, options.instanceRegion);
  const region = securityRegion(options);
  const { topicArn, externalId } = await resolveTarget({ ...options, ...(region ? { region } : {}) }, action);
  // Watch the intake's decisions before publishing: a refusal is then known at once.
  const watch = options.wait
    ? await openIntakeWatch(sns, sqs(), options.auditTopicArn ?? process.env.LOCKDOWN_AUDIT_TOPIC_ARN ?? auditTopicNextTo(topicArn), output)
    : undefined;
  try {
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
        ...(firstSeenAt ? { firstSeenAt } : {}),
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
      { timeoutSeconds, ...(watch ? { intake: watch } : {}) },
      dynamodb(),
      output,
    );
    const { code, summary } = outcome(action, followed);
    output.result({ followed }, () => output.line(summary));
    return code;
  } finally {
    await watch?.close().catch((error: Error) => output.progress(`note: the temporary audit queue was not deleted: ${error.message}`));
  }
}

/** The intake watch, or none (and why) when the audit topic cannot be watched: the wait then relies on the ledgers. */
async function openIntakeWatch(sns: SNSClient, sqs: SQSClient, auditTopicArn: string, output: Output): Promise<IntakeWatch | undefined> {
  try {
    return await IntakeWatch.open(sns, sqs, auditTopicArn);
  } catch (error) {
    output.progress(`note: cannot watch ${auditTopicArn} (${(error as Error).message}); an intake refusal will show only at the timeout`);
    return undefined;
  }
}
