import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { Action, DispatchMessage, parseEntityArn } from '@lockdown/contracts';
import { MEMBER_ACCOUNT } from './member-account';

let sequence = 0;

/** A dispatch message as the intake would publish it for this ARN. */
export function dispatchMessage(
  arn: string,
  overrides: Partial<Omit<DispatchMessage, 'entity'>> & { action?: Action } = {},
): DispatchMessage {
  // An S3 ARN names no account: the request says the member account owns the bucket. An Identity Store
  // user's names neither account nor region: the member account is the Identity Center account, in us-east-1.
  const context = arn.startsWith('arn:aws:s3:')
    ? { accountId: MEMBER_ACCOUNT }
    : arn.startsWith('arn:aws:identitystore:')
      ? { accountId: MEMBER_ACCOUNT, region: 'us-east-1' }
      : {};
  const parsed = parseEntityArn(arn, context);
  if (!parsed.ok) throw new Error(`bad test ARN ${arn}: ${parsed.error.message}`);
  return {
    version: 1,
    requestId: `req-${++sequence}`,
    entity: parsed.entity,
    action: 'contain',
    requestedAt: '2026-11-26T04:00:00.000Z',
    dryRun: false,
    reason: 'test',
    requestedBy: 'tests',
    ...overrides,
  };
}

/** An SQS record as Lambda's event source delivers it. */
export function sqsRecord(body: unknown, receiveCount = 1, messageId = `msg-${++sequence}`): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '1764129600000',
      SenderId: 'sns',
      ApproximateFirstReceiveTimestamp: '1764129600000',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:999999999999:lockdown-queue',
    awsRegion: 'us-east-1',
  };
}

export const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

/** A minimal Lambda context for handlers under test. */
export const lambdaContext = {
  functionName: 'test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:999999999999:function:test',
  memoryLimitInMB: '256',
  awsRequestId: 'test-request',
  logGroupName: '/aws/lambda/test',
  logStreamName: 'test',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};
