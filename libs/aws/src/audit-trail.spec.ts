import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { AuditEvent } from '@lockdown/contracts';
import { auditMetricName } from '@lockdown/contracts';
import { AuditTrail } from './audit-trail';

const event: AuditEvent = {
  kind: 'failed',
  requestId: 'req-9',
  source: 'lambda-lockdown',
  action: 'contain',
  at: '2026-11-26T04:00:00.000Z',
  entity: {
    type: 'lambda-function',
    arn: 'arn:aws:lambda:eu-west-1:111111111111:function:f',
    accountId: '111111111111',
    region: 'eu-west-1',
    name: 'f',
  },
  detail: 'the member role denied lambda:PutFunctionConcurrency',
  code: 'access-denied',
};

describe('AuditTrail', () => {
  const sns = mockClient(SNSClient);
  const logger = new Logger({ serviceName: 'test' });
  const metrics = new Metrics({ namespace: 'Test', serviceName: 'test' });
  beforeEach(() => sns.reset());

  it('publishes an email-shaped message with filterable attributes, logs it and counts it', async () => {
    sns.on(PublishCommand).resolves({});
    const info = jest.spyOn(logger, 'info');
    const single = jest.spyOn(metrics, 'singleMetric');
    await new AuditTrail({ topicArn: 'arn:aws:sns:us-east-1:1:audit', logger, metrics, sns: new SNSClient({}) }).record(event);

    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: 'arn:aws:sns:us-east-1:1:audit',
      Subject: '[lockdown] FAILED lambda-function f in 111111111111',
      MessageAttributes: {
        kind: { DataType: 'String', StringValue: 'failed' },
        source: { DataType: 'String', StringValue: 'lambda-lockdown' },
        requestId: { DataType: 'String', StringValue: 'req-9' },
        entityType: { DataType: 'String', StringValue: 'lambda-function' },
      },
    });
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input.Message).toContain('Reason code: access-denied');
    expect(info).toHaveBeenCalledWith(expect.stringContaining('audit failed'), { audit: event });
    expect(single).toHaveBeenCalledTimes(1);
  });

  it('throws when the audit topic cannot be reached, so the caller retries', async () => {
    sns.on(PublishCommand).rejects(new Error('Throttling'));
    const trail = new AuditTrail({ topicArn: 'arn:aws:sns:us-east-1:1:audit', logger, metrics, sns: new SNSClient({}) });
    await expect(trail.record(event)).rejects.toThrow('Throttling');
  });

  it('names metrics after the audit kind', () => {
    expect(auditMetricName('contained')).toBe('Contained');
    expect(auditMetricName('noop')).toBe('Noop');
  });
});
