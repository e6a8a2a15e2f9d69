import type { SNSEvent, SNSEventRecord } from 'aws-lambda';
import { AuditEvent, DispatchMessage, EntityRef } from '@lockdown/contracts';
import { Decision, IntakePolicy, Rejection, evaluateRequest } from './domain/evaluate-request';

export interface IntakeDeps {
  policy: () => Promise<IntakePolicy>;
  dispatch: { publish(message: DispatchMessage): Promise<void> };
  audit: { record(event: AuditEvent): Promise<void> };
  now?: () => Date;
}

const auditEntity = (entity: EntityRef) => ({
  type: entity.type,
  arn: entity.arn,
  accountId: entity.accountId,
  name: entity.name,
  ...('region' in entity ? { region: entity.region } : {}),
});

/**
 * The intake use case: authenticate, validate, then dispatch and audit `received`, or audit
 * `rejected` and do nothing else. Internal failures throw so Lambda retries the event and,
 * in the end, sends it to the on-failure destination.
 */
export class Intake {
  constructor(private readonly deps: IntakeDeps) {}

  async handle(event: SNSEvent): Promise<{ accepted: number; rejected: number }> {
    const policy = await this.deps.policy();
    const seen = new Set<string>();
    const decisions = event.Records.map((record) => this.decide(record, policy, seen));
    await Promise.all(decisions.map((decision) => this.act(decision)));
    const accepted = decisions.filter((decision) => decision.accepted).length;
    return { accepted, rejected: decisions.length - accepted };
  }

  private decide(record: SNSEventRecord, policy: IntakePolicy, seen: Set<string>): Decision {
    const id = record.Sns?.MessageId;
    if (id && seen.has(id))
      return { accepted: false, requestId: id, code: 'duplicate-record', reason: `record ${id} appears twice in one event; handled once` };
    if (id) seen.add(id);
    return evaluateRequest(record, policy);
  }

  private async act(decision: Decision): Promise<void> {
    const at = (this.deps.now?.() ?? new Date()).toISOString();
    if (!decision.accepted) return this.deps.audit.record(this.rejectionEvent(decision, at));
    const message = decision.message;
    await Promise.all([
      this.deps.dispatch.publish(message),
      this.deps.audit.record({
        kind: 'received',
        requestId: message.requestId,
        source: 'intake',
        action: message.action,
        at,
        entity: auditEntity(message.entity),
        request: {
          reason: message.reason,
          ticket: message.ticket,
          requestedBy: message.requestedBy,
          finding: message.finding,
          firstSeenAt: message.firstSeenAt,
          requestedAt: message.requestedAt,
          dryRun: message.dryRun,
          authority: message.authority,
        },
        detail: `${message.dryRun ? 'dry-run ' : ''}${message.action} request accepted and dispatched`,
      }),
    ]);
  }

  private rejectionEvent(rejection: Rejection, at: string): AuditEvent {
    return {
      kind: 'rejected',
      requestId: rejection.requestId,
      source: 'intake',
      at,
      detail: rejection.reason,
      code: rejection.code,
      ...(rejection.action ? { action: rejection.action } : {}),
      ...(rejection.entity ? { entity: auditEntity(rejection.entity) } : {}),
      ...(rejection.target !== undefined ? { target: rejection.target } : {}),
      request: {
        ...rejection.body,
        requestedAt: rejection.requestedAt,
        ...(rejection.authority ? { authority: rejection.authority } : {}),
      },
    };
  }
}
