import type { SNSEvent, SNSEventRecord, SNSMessageAttributes } from 'aws-lambda';

export const EXTERNAL_ID = 'c0rrect-external-id-7f3a9';

let counter = 0;

/** An ingress SNS record as Lambda delivers it. */
export function ingressRecord(
  attributes: SNSMessageAttributes | Record<string, unknown>,
  message = '',
  messageId = `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`,
): SNSEventRecord {
  return {
    EventSource: 'aws:sns',
    EventVersion: '1.0',
    EventSubscriptionArn: 'arn:aws:sns:us-east-1:999999999999:lockdown-ingress:sub',
    Sns: {
      Type: 'Notification',
      MessageId: messageId,
      TopicArn: 'arn:aws:sns:us-east-1:999999999999:lockdown-ingress',
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

export const event = (...records: SNSEventRecord[]): SNSEvent => ({ Records: records });

export const intakeEnv = (overrides: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  EXTERNAL_ID_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:999999999999:secret:lockdown-external-id',
  DISPATCH_TOPIC_ARN: 'arn:aws:sns:us-east-1:999999999999:lockdown-dispatch',
  AUDIT_TOPIC_ARN: 'arn:aws:sns:us-east-1:999999999999:lockdown-audit',
  ONBOARDED_ACCOUNTS: '111111111111,222222222222',
  PROTECTED_PRINCIPALS: 'arn:aws:iam::*:role/BreakGlass,arn:aws:iam::*:user/root-automation',
  // The security account, onboarded too (single-account use): lockdown's own resources there are protected.
  SECURITY_ACCOUNT_ID: '222222222222',
  AWS_REGION: 'us-east-1',
  ...overrides,
});
