import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { Action } from '@lockdown/contracts';

export interface RequestOptions {
  action: Action;
  reason?: string;
  ticket?: string;
  requestedBy?: string;
  dryRun?: boolean;
}

export interface PublishResult {
  arn: string;
  messageId?: string;
  error?: string;
}

const BATCH = 10;

/**
 * Publishes one request per ARN to the ingress topic, as the original solution's publishers do
 * (message attributes Arn and ExternalId, String), ten per PublishBatch call.
 */
export async function publishRequests(
  sns: SNSClient,
  topicArn: string,
  externalId: string,
  arns: string[],
  options: RequestOptions,
  progress: (done: number, total: number) => void = () => undefined,
): Promise<PublishResult[]> {
  const body = JSON.stringify({
    ...(options.reason ? { reason: options.reason } : {}),
    ...(options.ticket ? { ticket: options.ticket } : {}),
    ...(options.requestedBy ? { requestedBy: options.requestedBy } : {}),
    ...(options.dryRun ? { dryRun: true } : {}),
  });
  const results: PublishResult[] = [];
  for (let start = 0; start < arns.length; start += BATCH) {
    const batch = arns.slice(start, start + BATCH);
    const response = await sns.send(
      new PublishBatchCommand({
        TopicArn: topicArn,
        PublishBatchRequestEntries: batch.map((arn, i) => ({
          Id: String(i),
          Message: body,
          MessageAttributes: {
            Arn: { DataType: 'String', StringValue: arn },
            ExternalId: { DataType: 'String', StringValue: externalId },
            Action: { DataType: 'String', StringValue: options.action },
          },
        })),
      }),
    );
    for (const [i, arn] of batch.entries()) {
      const ok = response.Successful?.find((s) => s.Id === String(i));
      const failed = response.Failed?.find((f) => f.Id === String(i));
      results.push({
        arn,
        ...(ok?.MessageId ? { messageId: ok.MessageId } : {}),
        ...(failed ? { error: `${failed.Code}: ${failed.Message}` } : {}),
      });
    }
    progress(results.length, arns.length);
  }
  return results;
}
