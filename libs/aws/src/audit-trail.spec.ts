import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

describe('AuditTrail outcome events', () => {
  const sns = mockClient(SNSClient);
  const events = mockClient(EventBridgeClient);
  const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
  const metrics = new Metrics({ namespace: 'Test', serviceName: 'test' });
  const trail = () =>
    new AuditTrail({
      topicArn: 'arn:aws:sns:us-east-1:1:audit',
      logger,
      metrics,
      sns: new SNSClient({}),
      eventBusName: 'lockdown',
      events: new EventBridgeClient({}),
    });
  beforeEach(() => {
    sns.reset();
    events.reset();
    sns.on(PublishCommand).resolves({});
  });

  it('puts every audit record on the bus as an event the documented schema accepts (Ajv, draft 2020-12)', async () => {
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    await trail().record(event);

    const [entry] = events.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries!;
    expect(entry).toMatchObject({
      EventBusName: 'lockdown',
      Source: 'lockdown',
      DetailType: 'Lockdown Failed',
      Resources: [event.entity!.arn],
    });
    const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'contracts', 'schemas', 'outcome-event.schema.json'), 'utf8'));
    const validate = addFormats(new Ajv2020({ strict: false })).compile(schema);
    const delivered = {
      version: '0',
      id: 'e-1',
      'detail-type': entry!.DetailType,
      source: entry!.Source,
      account: '1',
      time: 'now',
      region: 'us-east-1',
      resources: entry!.Resources,
      detail: JSON.parse(entry!.Detail!),
    };
    expect(validate(delivered) ? [] : validate.errors).toEqual([]);
  });

  it('throws when EventBridge refuses the entry (it answers 200 with a failed entry), so the record is retried', async () => {
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }] });
    await expect(trail().record(event)).rejects.toThrow(/not put on lockdown: InternalFailure try again/);
  });

  it('puts no event when no bus is configured', async () => {
    await new AuditTrail({ topicArn: 'arn:aws:sns:us-east-1:1:audit', logger, metrics, sns: new SNSClient({}) }).record(event);
    expect(events.commandCalls(PutEventsCommand)).toHaveLength(0);
  });
});
