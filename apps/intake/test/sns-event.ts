import type { SNSEvent, SNSEventRecord, SNSMessageAttributes } from 'aws-lambda';

export const EXTERNAL_ID = 'c0rrect-external-id-7f3a9';
export const INGRESS_TOPIC = 'arn:aws:sns:us-east-1:999999999999:lockdown-ingress';
export const RELEASE_TOPIC = 'arn:aws:sns:us-east-1:999999999999:lockdown-release';

let counter = 0;

/** An SNS record of a request as Lambda delivers it (from the ingress topic unless another topic is named). */
export function ingressRecord(
  attributes: SNSMessageAttributes | Record<string, unknown>,
  message = '',
  messageId = `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`,
  topicArn = INGRESS_TOPIC,
): SNSEventRecord {
  return {
    EventSource: 'aws:sns',
    EventVersion: '1.0',
    EventSubscriptionArn: `${topicArn}:sub`,
    Sns: {
      Type: 'Notification',
      MessageId: messageId,
      TopicArn: topicArn,
      Subject: '',
      Message: message,
      Timestamp: '2026-11-26T04:00:00.000Z',
      SignatureVersion: '1',
      Signature: 'sig',
      SigningCertUrl: 'https://example.invalid/cert.pem',
      UnsubscribeUrl: 'https://example.invalid/unsubscribe',
      MessageAttributes: attributes as SNSMessageAttributes,
    },
  };
}

export const attr = (Value: string, Type = 'String') => ({ Type, Value });

export function request(arn: string, extra: Record<string, unknown> = {}, message = ''): SNSEventRecord {
  return ingressRecord({ Arn: attr(arn), ExternalId: attr(EXTERNAL_ID), ...extra }, message);
}

/** A release request as the release topic delivers it. */
export function releaseRecord(arn: string, extra: Record<string, unknown> = {}, message = ''): SNSEventRecord {
  return ingressRecord(
    { Arn: attr(arn), ExternalId: attr(EXTERNAL_ID), Action: attr('release'), ...extra },
    message,
    undefined,
    RELEASE_TOPIC,
  );
}

export const event = (...records: SNSEventRecord[]): SNSEvent => ({ Records: records });

export const intakeEnv = (overrides: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  EXTERNAL_ID_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:999999999999:secret:lockdown-external-id',
  DISPATCH_TOPIC_ARN: 'arn:aws:sns:us-east-1:999999999999:lockdown-dispatch',
  AUDIT_TOPIC_ARN: 'arn:aws:sns:us-east-1:999999999999:lockdown-audit',
  INGRESS_TOPIC_ARN: INGRESS_TOPIC,
  RELEASE_TOPIC_ARN: RELEASE_TOPIC,
  ONBOARDED_ACCOUNTS: '111111111111,222222222222',
  PROTECTED_PRINCIPALS: 'arn:aws:iam::*:role/BreakGlass,arn:aws:iam::*:user/root-automation',
  // The security account, onboarded too (single-account use): lockdown's own resources there are protected.
  SECURITY_ACCOUNT_ID: '222222222222',
  AWS_REGION: 'us-east-1',
  ...overrides,
});
