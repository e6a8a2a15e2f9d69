import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { AuditEvent, auditMetricName, renderAuditEmail } from '@lockdown/contracts';

export interface AuditTrailOptions {
  topicArn: string;
  logger: Logger;
  metrics: Metrics;
  sns?: SNSClient;
}

/**
 * Records an audit event three ways: an email-shaped message on the audit topic, a structured
 * log line, and a metric (EMF). A failed publish throws: the caller's retry takes over.
 */
export class AuditTrail {
  private readonly sns: SNSClient;

  constructor(private readonly options: AuditTrailOptions) {
    this.sns = options.sns ?? new SNSClient({});
  }

  async record(event: AuditEvent): Promise<void> {
    const { logger, metrics, topicArn } = this.options;
    logger.info(`audit ${event.kind}: ${event.detail}`, { audit: event });
    const metric = metrics.singleMetric();
    metric.addDimension('source', event.source);
    metric.addMetric(auditMetricName(event.kind), MetricUnit.Count, 1);

    const email = renderAuditEmail(event);
    await this.sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: email.subject,
        Message: email.body,
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: event.kind },
          source: { DataType: 'String', StringValue: event.source },
          requestId: { DataType: 'String', StringValue: event.requestId },
          ...(event.entity ? { entityType: { DataType: 'String', StringValue: event.entity.type } } : {}),
        },
      }),
    );
  }
}
