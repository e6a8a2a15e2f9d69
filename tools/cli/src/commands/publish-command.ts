import { SNSClient } from '@aws-sdk/client-sns';
import { Action } from '@lockdown/contracts';
import { CliError, EXIT } from '../errors';
import { Output } from '../output';
import { publishRequests, targetOf } from '../publisher';
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
}

/** `contain` and `release`: validate every ARN locally, then publish one request per ARN. */
export async function runPublishCommand(
  action: Action,
  arns: string[],
  options: PublishCommandOptions,
  output: Output,
  sns: SNSClient = new SNSClient({}),
): Promise<number> {
  const entities = validateArns(collectArns(arns, options.file), options.account);
  const { topicArn, externalId } = await resolveTarget(options);
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
      `${results.length - failed.length} ${action} request(s) sent${options.dryRun ? ' as dry runs' : ''}; follow them in the audit emails or with \`lockdown status <arn>\``,
    );
  });
  if (failed.length > 0) throw new CliError(`${failed.length} request(s) could not be published`, EXIT.failed);
  return EXIT.ok;
}
