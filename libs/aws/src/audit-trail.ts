import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import {
  AUDIT_MESSAGE_ATTRIBUTES,
  AuditEvent,
  OUTCOME_EVENT_SOURCE,
  auditMetricName,
  outcomeDetailType,
  renderAuditEmail,
} from '@lockdown/contracts';

export interface AuditTrailOptions {
  topicArn: string;
  logger: Logger;
  metrics: Metrics;
  sns?: SNSClient;
  /** The EventBridge bus outcome events go to (none: no events). */
  eventBusName?: string;
  events?: EventBridgeClient;
}

/**
 * Records an audit event four ways: an email-shaped message on the audit topic, an outcome event
 * on the EventBridge bus (source `lockdown`, the audit record as its detail), a structured log
 * line, and a metric (EMF). A failed publish throws: the caller's retry takes over.
 */
export class AuditTrail {
  private readonly sns: SNSClient;
  private readonly events?: EventBridgeClient;

  constructor(private readonly options: AuditTrailOptions) {
    this.sns = options.sns ?? new SNSClient({});
    if (options.eventBusName) this.events = options.events ?? new EventBridgeClient({});
  }

  async record(event: AuditEvent): Promise<void> {
    const { logger, metrics } = this.options;
    logger.info(`audit ${event.kind}: ${event.detail}`, { audit: event });
    const metric = metrics.singleMetric();
    metric.addDimension('source', event.source);
    metric.addMetric(auditMetricName(event.kind), MetricUnit.Count, 1);

    const email = renderAuditEmail(event);
    await Promise.all([this.publishEmail(email, event), this.putEvent(event)]);
  }

  private async putEvent(event: AuditEvent): Promise<void> {
    if (!this.events) return;
    const { FailedEntryCount, Entries } = await this.events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.options.eventBusName,
            Source: OUTCOME_EVENT_SOURCE,
            DetailType: outcomeDetailType(event.kind),
            Resources: event.entity ? [event.entity.arn] : [],
            Detail: JSON.stringify(event),
          },
        ],
      }),
    );
    // PutEvents reports a refused entry in its answer, not as an error: throw, so the caller retries.
    if (FailedEntryCount)
      throw new Error(
        `the outcome event was not put on ${this.options.eventBusName}: ${Entries?.[0]?.ErrorCode} ${Entries?.[0]?.ErrorMessage}`,
      );
  }

  private async publishEmail(email: { subject: string; body: string }, event: AuditEvent): Promise<void> {
    const { topicArn } = this.options;
    await this.sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: email.subject,
        Message: email.body,
        MessageAttributes: {
          [AUDIT_MESSAGE_ATTRIBUTES.kind]: { DataType: 'String', StringValue: event.kind },
          [AUDIT_MESSAGE_ATTRIBUTES.source]: { DataType: 'String', StringValue: event.source },
          [AUDIT_MESSAGE_ATTRIBUTES.requestId]: { DataType: 'String', StringValue: event.requestId },
          ...(event.entity ? { [AUDIT_MESSAGE_ATTRIBUTES.entityType]: { DataType: 'String', StringValue: event.entity.type } } : {}),
        },
      }),
    );
  }
}
