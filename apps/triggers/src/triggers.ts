import type { Logger } from '@aws-lambda-powertools/logger';
import { AuditEvent, AuditEventSchema, EntityRef, FindingRef } from '@lockdown/contracts';
import { auditEntity } from '@lockdown/aws';
import type { PublishResult, RequestOptions } from '@lockdown/publishing';
import {
  AsffFindingSchema,
  GuardDutyFindingSchema,
  TriggerPolicy,
  asffEntities,
  asffRef,
  CUSTOM_ACTIONS,
  customActionOf,
  decide,
  guardDutyEntities,
  guardDutyRef,
} from '@lockdown/findings';
import type { FindingNote, Unprocessed } from './adapters/finding-notes';
import { outcomeNote, requestedNote, suggestedNote, unsupportedNote } from './domain/notes';

/** An EventBridge event as a rule's target receives it. */
export interface BusEvent {
  id: string;
  source: string;
  'detail-type': string;
  resources?: string[];
  region?: string;
  detail: unknown;
}

export interface TriggersDeps {
  policy: TriggerPolicy;
  /** Publishes requests to the ingress topic (the contract every publisher uses). */
  publish(entities: EntityRef[], options: RequestOptions): Promise<PublishResult[]>;
  notes: { write(note: FindingNote): Promise<Unprocessed[]> };
  audit: { record(event: AuditEvent): Promise<void> };
  logger: Pick<Logger, 'info' | 'warn'>;
  now?: () => Date;
}

export type TriggerResult =
  | { kind: 'requested'; action: 'contain' | 'release'; requests: Array<{ arn: string; requestId: string }> }
  | { kind: 'suggested'; arns: string[] }
  | { kind: 'ignored'; reason: string }
  | { kind: 'rejected'; reason: string }
  | { kind: 'noted'; finding: FindingRef };

/**
 * Turns findings into lockdown requests: GuardDuty findings as the policy decides (contain,
 * suggest, ignore), Security Hub custom actions as the responder chose, and writes lockdown's
 * outcomes back to the findings the requests came from.
 */
export class Triggers {
  constructor(private readonly deps: TriggersDeps) {}

  async handle(event: BusEvent): Promise<TriggerResult[]> {
    if (event.source === 'aws.guardduty') return [await this.guardDuty(event)];
    if (event.source === 'aws.securityhub') return this.customAction(event);
    if (event.source === 'lockdown') return [await this.outcome(event)];
    // A rule of the triggers stack sends only these three: anything else is a deployment error.
    throw new Error(`triggers received an event from ${event.source} (${event['detail-type']}), which no rule of lockdown sends`);
  }

  private async guardDuty(event: BusEvent): Promise<TriggerResult> {
    const parsed = GuardDutyFindingSchema.safeParse(event.detail);
    if (!parsed.success) return this.reject(event, `not a GuardDuty finding lockdown can read: ${parsed.error.issues[0]?.message}`);
    const finding = parsed.data;
    if (finding.service?.archived) return this.ignore(`GuardDuty finding ${finding.id} is archived (or suppressed)`);
    const { decision, because } = decide(this.deps.policy, finding.type, finding.severity);
    const why = `GuardDuty ${finding.type}, severity ${finding.severity}: ${decision} by ${because}`;
    if (decision === 'ignore') return this.ignore(why);
    const ref = guardDutyRef(finding);
    const { entities, unsupported } = guardDutyEntities(finding);
    if (entities.length === 0) {
      await this.note({ findings: [ref], text: unsupportedNote(unsupported) });
      return this.reject(event, `${why}; ${unsupportedNote(unsupported)}`);
    }
    const reason = `${why}${finding.title ? ` (${finding.title})` : ''}`;
    if (decision === 'suggest') return this.suggest(event, entities, ref, reason);
    return this.request('contain', entities, ref, {
      reason,
      ticket: finding.id,
      requestedBy: 'lockdown triggers (GuardDuty policy)',
      noteWhy: `GuardDuty policy: ${because}`,
    });
  }

  private async customAction(event: BusEvent): Promise<TriggerResult[]> {
    const action = customActionOf(event.resources?.[0] ?? '');
    if (!action) throw new Error(`triggers received the custom action ${event.resources?.[0]}, which is not lockdown's`);
    const findings = (event.detail as { findings?: unknown[] } | undefined)?.findings ?? [];
    return Promise.all(
      findings.map(async (raw): Promise<TriggerResult> => {
        const parsed = AsffFindingSchema.safeParse(raw);
        if (!parsed.success)
          return this.reject(event, `a finding of the custom action is not ASFF lockdown can read: ${parsed.error.issues[0]?.message}`);
        const finding = parsed.data;
        const ref = asffRef(finding);
        const { entities, unsupported } = asffEntities(finding);
        if (entities.length === 0) {
          await this.note({ findings: [ref], text: unsupportedNote(unsupported) });
          return this.reject(event, `finding ${finding.Id}: ${unsupportedNote(unsupported)}`);
        }
        return this.request(action, entities, ref, {
          reason: `Security Hub finding${finding.Title ? `: ${finding.Title}` : ` ${finding.Id}`}`,
          requestedBy: `lockdown triggers (Security Hub custom action ${action})`,
          noteWhy: `Security Hub custom action ${action}`,
        });
      }),
    );
  }

  private async outcome(event: BusEvent): Promise<TriggerResult> {
    const parsed = AuditEventSchema.safeParse(event.detail);
    const finding = parsed.success ? parsed.data.request?.finding : undefined;
    if (!parsed.success || !finding) throw new Error(`triggers received a lockdown event ${event.id} without the finding to write back to`);
    await this.note({ findings: [finding], text: outcomeNote(parsed.data) });
    return { kind: 'noted', finding };
  }

  private async request(
    action: 'contain' | 'release',
    entities: EntityRef[],
    finding: FindingRef,
    options: { reason: string; ticket?: string; requestedBy: string; noteWhy: string },
  ): Promise<TriggerResult> {
    const results = await this.deps.publish(entities, {
      action,
      reason: options.reason.slice(0, 1024),
      ...(options.ticket ? { ticket: options.ticket.slice(0, 128) } : {}),
      requestedBy: options.requestedBy,
      finding,
    });
    const failed = results.filter((r) => r.error || !r.messageId);
    // Nothing is lost: a refused publish fails the invocation, which is retried (a repeated contain changes nothing).
    if (failed.length > 0) throw new Error(`the ingress topic refused ${failed.map((r) => `${r.arn} (${r.error})`).join(', ')}`);
    const requests = results.map((r, i) => ({ entity: entities[i]!, requestId: r.messageId! }));
    await this.note({ findings: [finding], text: requestedNote(action, requests, options.noteWhy), workflow: 'NOTIFIED' });
    this.deps.logger.info(`${action} requested`, {
      finding,
      requests: requests.map((r) => ({ arn: r.entity.arn, requestId: r.requestId })),
    });
    return { kind: 'requested', action, requests: requests.map((r) => ({ arn: r.entity.arn, requestId: r.requestId })) };
  }

  private async suggest(event: BusEvent, entities: EntityRef[], finding: FindingRef, reason: string): Promise<TriggerResult> {
    const at = this.at();
    await Promise.all([
      ...entities.map((entity) =>
        this.deps.audit.record({
          kind: 'suggested',
          requestId: event.id,
          source: 'triggers',
          action: 'contain',
          at,
          entity: auditEntity(entity),
          request: { reason: reason.slice(0, 1024), requestedBy: 'lockdown triggers (GuardDuty policy)', finding },
          detail: `${reason}: containment suggested, nothing changed; to contain: lockdown contain ${entity.requestedArn}, or the custom action "${CUSTOM_ACTIONS.contain.name}" on the finding`,
        }),
      ),
      this.note({ findings: [finding], text: suggestedNote(entities, reason) }),
    ]);
    return { kind: 'suggested', arns: entities.map((e) => e.arn) };
  }

  private async reject(event: BusEvent, reason: string): Promise<TriggerResult> {
    await this.deps.audit.record({
      kind: 'rejected',
      requestId: event.id,
      source: 'triggers',
      at: this.at(),
      target: `${event.source} ${event['detail-type']}`.slice(0, 256),
      detail: reason,
      code: 'unsupported-finding',
    });
    return { kind: 'rejected', reason };
  }

  private ignore(reason: string): TriggerResult {
    this.deps.logger.info(`ignored: ${reason}`);
    return { kind: 'ignored', reason };
  }

  private async note(note: FindingNote): Promise<void> {
    const unprocessed = await this.deps.notes.write(note);
    // Retrying cannot help (the finding is not in Security Hub there): logged, not thrown.
    for (const u of unprocessed) this.deps.logger.warn('Security Hub did not take the note', { finding: u.finding, reason: u.reason });
  }

  private at(): string {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }
}
