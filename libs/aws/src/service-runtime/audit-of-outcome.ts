import { AuditEvent, AuditStep, DispatchMessage, EntityRef, releaseInstructions } from '@lockdown/contracts';
import type { LedgerStep, Outcome } from '@lockdown/containment';

export const auditEntity = (entity: EntityRef): NonNullable<AuditEvent['entity']> => ({
  type: entity.type,
  arn: entity.arn,
  accountId: entity.accountId,
  name: entity.name,
  ...('region' in entity ? { region: entity.region } : {}),
});

export const requestOf = (message: DispatchMessage): AuditEvent['request'] => ({
  reason: message.reason,
  ticket: message.ticket,
  requestedBy: message.requestedBy,
  finding: message.finding,
  firstSeenAt: message.firstSeenAt,
  requestedAt: message.requestedAt,
  dryRun: message.dryRun,
  authority: message.authority,
});

const stepsOf = (steps: LedgerStep[], planned: boolean): AuditStep[] =>
  steps.map((s) => ({
    id: s.id,
    description: s.description,
    outcome: planned ? 'planned' : s.status,
    ...(s.at ? { at: s.at } : {}),
    detail: [planned ? `calls ${s.calls.apply.join(', ')}` : undefined, s.note].filter(Boolean).join('; ') || undefined,
  }));

/** The audit record of a finished use case: the "end" email. */
export function outcomeEvent(source: string, message: DispatchMessage, outcome: Outcome, at: string): AuditEvent {
  return {
    // A tick that held is not audited (quietOutcome); were it, it would be a no-op.
    kind: outcome.kind === 'held' ? 'noop' : outcome.kind,
    requestId: message.requestId,
    source,
    action: message.action,
    at,
    entity: auditEntity(message.entity),
    request: requestOf(message),
    detail: [outcome.detail, ...(outcome.notes ?? [])].join('. '),
    steps: stepsOf(outcome.steps, outcome.kind === 'planned'),
    ...(outcome.kind === 'contained' ? { release: releaseInstructions(message.entity.arn) } : {}),
  };
}

export function failureEvent(
  source: string,
  message: DispatchMessage | undefined,
  requestId: string,
  detail: string,
  code: string,
  at: string,
  steps: LedgerStep[] = [],
): AuditEvent {
  return {
    kind: 'failed',
    requestId,
    source,
    at,
    detail,
    code,
    ...(message ? { action: message.action, entity: auditEntity(message.entity), request: requestOf(message) } : {}),
    ...(steps.length > 0 ? { steps: stepsOf(steps, false) } : {}),
  };
}
