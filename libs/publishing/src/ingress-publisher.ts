import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { Action, EntityRef, FindingRef } from '@lockdown/contracts';

export interface RequestOptions {
  action: Action;
  reason?: string;
  ticket?: string;
  requestedBy?: string;
  dryRun?: boolean;
  /** The Security Hub finding the requests answer (lockdown's triggers). */
  finding?: FindingRef;
  /** When the compromise was first seen (ISO 8601): the sweep reads CloudTrail from there. */
  firstSeenAt?: string;
}

/**
 * An ARN, or an S3 bucket's ARN with its owner (S3 ARNs name no account: the AccountId attribute does),
 * or an Identity Center user's ARN with its Identity Center account and region (attributes AccountId and Region).
 */
export type PublishTarget = string | { arn: string; accountId: string; region?: string };
const arnOf = (target: PublishTarget) => (typeof target === 'string' ? target : target.arn);

/** What to publish for an entity the CLI validated. */
export const targetOf = (entity: EntityRef): PublishTarget =>
  entity.type === 's3-bucket'
    ? { arn: entity.requestedArn, accountId: entity.accountId }
    : entity.type === 'identity-center-user'
      ? { arn: entity.requestedArn, accountId: entity.accountId, region: entity.region }
      : entity.requestedArn;

export interface PublishResult {
  arn: string;
  messageId?: string;
  error?: string;
}

const BATCH = 10;

/**
 * Publishes one request per ARN to a request topic (the ingress topic; a release to the release
 * topic: see topicFor), as the original solution's publishers do
 * (message attributes Arn and ExternalId, String; AccountId for a bucket), ten per PublishBatch call.
 * The CLI and lockdown's triggers publish through it. Each result's messageId is the request id.
 */
export async function publishRequests(
  sns: SNSClient,
  topicArn: string,
  externalId: string,
  targets: PublishTarget[],
  options: RequestOptions,
  progress: (done: number, total: number) => void = () => undefined,
): Promise<PublishResult[]> {
  const body = JSON.stringify({
    ...(options.reason ? { reason: options.reason } : {}),
    ...(options.ticket ? { ticket: options.ticket } : {}),
    ...(options.requestedBy ? { requestedBy: options.requestedBy } : {}),
    ...(options.dryRun ? { dryRun: true } : {}),
    ...(options.finding ? { finding: options.finding } : {}),
    ...(options.firstSeenAt ? { firstSeenAt: options.firstSeenAt } : {}),
  });
  const results: PublishResult[] = [];
  for (let start = 0; start < targets.length; start += BATCH) {
    const batch = targets.slice(start, start + BATCH);
    const response = await sns.send(
      new PublishBatchCommand({
        TopicArn: topicArn,
        PublishBatchRequestEntries: batch.map((target, i) => ({
          Id: String(i),
          Message: body,
          MessageAttributes: {
            Arn: { DataType: 'String', StringValue: arnOf(target) },
            ...(typeof target === 'string' ? {} : { AccountId: { DataType: 'String', StringValue: target.accountId } }),
            ...(typeof target !== 'string' && target.region ? { Region: { DataType: 'String', StringValue: target.region } } : {}),
            ExternalId: { DataType: 'String', StringValue: externalId },
            Action: { DataType: 'String', StringValue: options.action },
          },
        })),
      }),
    );
    for (const [i, target] of batch.entries()) {
      const arn = arnOf(target);
      const ok = response.Successful?.find((s) => s.Id === String(i));
      const failed = response.Failed?.find((f) => f.Id === String(i));
      results.push({
        arn,
        ...(ok?.MessageId ? { messageId: ok.MessageId } : {}),
        ...(failed ? { error: `${failed.Code}: ${failed.Message}` } : {}),
      });
    }
    progress(results.length, targets.length);
  }
  return results;
}
