import type { Logger } from '@aws-lambda-powertools/logger';
import { AuditEvent, AuditEventSchema, EntityRef, FindingRef, firstSeenInFuture, formatIssues } from '@lockdown/contracts';
import { auditEntity } from '@lockdown/aws';
import type { PublishResult, RequestOptions } from '@lockdown/publishing';
import {
  AsffFindingSchema,
  CUSTOM_ACTIONS,
  Finding,
  GuardDutyFindingSchema,
  OCSF_PRODUCTS,
  OcsfFindingSchema,
  OcsfProduct,
  TRIGGER_PATTERNS,
  TriggerPolicy,
  customActionOf,
  decide,
  findingIdOf,
  isAsffSample,
  isGuardDutySample,
  isOcsfSample,
  ocsfProductOf,
  readAsff,
  readGuardDuty,
  readOcsf,
} from '@lockdown/findings';
import type { FindingNote, Unprocessed } from './adapters/finding-notes';
import { BusEvent, parseEnvelope } from './domain/bus-event';
import { outcomeNote, requestedNote, suggestedNote, unsupportedNote } from './domain/notes';

export type { BusEvent } from './domain/bus-event';

/** The reason codes of the triggers' REJECTED and IGNORED audit records. */
export const TRIGGER_CODES = {
  /** Not an event lockdown's rules send, or one whose envelope or detail cannot be read. */
  malformed: 'malformed-event',
  /** A finding (or its resources) lockdown cannot act on. */
  unsupported: 'unsupported-finding',
  /** A Security Hub custom action that is not lockdown's. */
  foreignAction: 'unknown-custom-action',
  /** A sample finding (GuardDuty's or Security Hub's): never acted on. */
  sample: 'sample-finding',
  /** lockdown's release action while it is off (triggers.securityHubRelease): the triggers are no releaser. */
  releaseOff: 'release-action-off',
  /** A finding the policy contains naming more entities than maxEntitiesPerFinding: the whole finding suggested. */
  overCap: 'over-entity-cap',
} as const;
type TriggerCode = (typeof TRIGGER_CODES)[keyof typeof TRIGGER_CODES];

const CUSTOM_ACTION_PATTERN = TRIGGER_PATTERNS.customActions([]);
const SECURITY_HUB_V2_PATTERN = TRIGGER_PATTERNS.securityHubV2([]);
/** Who asked, on requests and suggestions the policy made. */
const POLICY_REQUESTER = 'lockdown triggers (findings policy)';
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const shapeOf = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : value === undefined ? 'nothing' : `a ${typeof value}`;

export interface TriggersDeps {
  policy: TriggerPolicy;
  /** The products whose OCSF findings (the new Security Hub) the policy decides (triggers.securityHubV2). */
  ocsfProducts: OcsfProduct[];
  /** The Security Hub release action is on (triggers.securityHubRelease): only then may the triggers publish releases. */
  releaseAction: boolean;
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
 * Turns findings into lockdown requests: GuardDuty findings (attack sequences included) and the new
 * Security Hub's OCSF findings as the policy decides (contain, suggest, ignore), Security Hub
 * custom actions as the responder chose, and writes lockdown's
 * outcomes back to the findings the requests came from.
 */
export class Triggers {
  constructor(private readonly deps: TriggersDeps) {}

  /**
   * Every event ends in a result: what lockdown requested, suggested or noted, or an audit record
   * saying why it did nothing (REJECTED, or IGNORED for a sample). Only a failure of lockdown's own
   * dependencies (the audit trail, the ingress topic) throws, to be retried and dead-lettered.
   */
  async handle(raw: unknown): Promise<TriggerResult[]> {
    const envelope = parseEnvelope(raw);
    if (!envelope.ok) return [await this.reject(envelope.id, 'not an EventBridge event', envelope.reason, TRIGGER_CODES.malformed)];
    const event = envelope.event;
    const { source, 'detail-type': type } = event;
    if (TRIGGER_PATTERNS.guardDuty.source.includes(source) && TRIGGER_PATTERNS.guardDuty['detail-type'].includes(type))
      return [await this.guardDuty(event)];
    if (SECURITY_HUB_V2_PATTERN.source.includes(source) && SECURITY_HUB_V2_PATTERN['detail-type'].includes(type))
      return this.securityHubV2(event);
    if (CUSTOM_ACTION_PATTERN.source.includes(source) && CUSTOM_ACTION_PATTERN['detail-type'].includes(type))
      return this.customAction(event);
    if (TRIGGER_PATTERNS.outcomes.source.includes(source) && TRIGGER_PATTERNS.outcomes['detail-type'].includes(type))
      return [await this.outcome(event)];
    // A rule of the triggers stack sends none of these: audited, so a misrouted rule is seen.
    return [await this.rejectEvent(event, `an event from ${source} (${type}), which no rule of lockdown sends`, TRIGGER_CODES.malformed)];
  }

  private async guardDuty(event: BusEvent): Promise<TriggerResult> {
    if (isGuardDutySample(event.detail)) return this.ignoreSample(event, 'GuardDuty', findingIdOf(event.detail));
    const parsed = GuardDutyFindingSchema.safeParse(event.detail);
    if (!parsed.success)
      return this.rejectEvent(
        event,
        `not a GuardDuty finding lockdown can read: ${formatIssues(parsed.error, { limit: 3 })}`,
        TRIGGER_CODES.malformed,
      );
    return this.byPolicy(event, readGuardDuty(parsed.data));
  }

  /** The new Security Hub's OCSF findings (one per event, in a list): each by the policy, as GuardDuty's. */
  private async securityHubV2(event: BusEvent): Promise<TriggerResult[]> {
    const findings = isObject(event.detail) ? event.detail['findings'] : undefined;
    if (!Array.isArray(findings))
      return [await this.rejectEvent(event, `the event's findings is not a list (${shapeOf(findings)})`, TRIGGER_CODES.malformed)];
    if (findings.length === 0) return [await this.rejectEvent(event, 'the event named no findings', TRIGGER_CODES.malformed)];
    return Promise.all(
      findings.map(async (raw: unknown, i): Promise<TriggerResult> => {
        const which = `OCSF finding ${i + 1} of ${findings.length}`;
        if (!isObject(raw)) return this.rejectEvent(event, `${which} is not an object (${shapeOf(raw)})`, TRIGGER_CODES.malformed);
        if (isOcsfSample(raw)) return this.ignoreSample(event, 'Security Hub (OCSF)', findingIdOf(raw));
        const parsed = OcsfFindingSchema.safeParse(raw);
        if (!parsed.success)
          return this.rejectEvent(
            event,
            `${which} is not OCSF lockdown can read: ${formatIssues(parsed.error, { limit: 3 })}`,
            TRIGGER_CODES.malformed,
          );
        const product = ocsfProductOf(parsed.data);
        if (!product || !this.deps.ocsfProducts.includes(product))
          return this.rejectEvent(
            event,
            `${which} (${parsed.data.metadata.uid}) is of product ${parsed.data.metadata.product.uid}: lockdown reads OCSF findings of ${this.deps.ocsfProducts.map((p) => OCSF_PRODUCTS[p]).join(', ') || 'no product'} here (triggers.securityHubV2)`,
            TRIGGER_CODES.unsupported,
          );
        return this.byPolicy(event, readOcsf(parsed.data, product));
      }),
    );
  }

  /** A finding the policy decides (GuardDuty's, in either format, or Security Hub CSPM's in OCSF). */
  private async byPolicy(event: BusEvent, finding: Finding): Promise<TriggerResult> {
    if (finding.inactive) return this.ignore(`${finding.source} finding ${finding.id} is ${finding.inactive}`);
    const { decision, because } = decide(this.deps.policy, finding.type, finding.severity);
    const why = `${finding.source} ${finding.type}, severity ${finding.severity}: ${decision} by ${because}`;
    if (decision === 'ignore') return this.ignore(why);
    const { entities, unsupported } = finding.entities;
    if (entities.length === 0) {
      // Audited first: a note Security Hub refuses must not leave the event without its record.
      const rejected = await this.rejectEvent(event, `${why}; ${unsupportedNote(unsupported)}`, TRIGGER_CODES.unsupported);
      await this.note({ findings: [finding.ref], text: unsupportedNote(unsupported) });
      return rejected;
    }
    // What the finding also names but lockdown cannot contain (an Identity Center user) is said with it.
    const reason = `${why}${finding.title ? ` (${finding.title})` : ''}${unsupported.length > 0 ? `; not for lockdown: ${unsupported.join('; ')}` : ''}`;
    if (decision === 'suggest') return this.suggest(event, entities, finding.ref, reason);
    const cap = this.deps.policy.maxEntitiesPerFinding;
    if (entities.length > cap)
      return this.suggest(
        event,
        entities,
        finding.ref,
        `${reason}; it names ${entities.length} entities, more than one finding may contain at once (maxEntitiesPerFinding ${cap}): the whole finding is suggested`,
        { code: TRIGGER_CODES.overCap, target: finding.id },
      );
    return this.request('contain', entities, finding.ref, {
      reason,
      ...(finding.firstSeenAt ? { firstSeenAt: finding.firstSeenAt } : {}),
      ticket: finding.id,
      requestedBy: POLICY_REQUESTER,
      noteWhy: `findings policy: ${because}`,
    });
  }

  private async customAction(event: BusEvent): Promise<TriggerResult[]> {
    const actionArn = event.resources?.[0];
    const action = actionArn === undefined ? undefined : customActionOf(actionArn);
    if (!action)
      return [
        await this.rejectEvent(event, `the custom action ${actionArn ?? '(none named)'} is not lockdown's`, TRIGGER_CODES.foreignAction),
      ];
    if (action === 'release' && !this.deps.releaseAction)
      return [
        await this.rejectEvent(
          event,
          'the Security Hub release action is off (triggers.securityHubRelease): nothing is released; a releaser publishes to the release topic',
          TRIGGER_CODES.releaseOff,
        ),
      ];
    const findings = isObject(event.detail) ? event.detail['findings'] : undefined;
    if (!Array.isArray(findings))
      return [await this.rejectEvent(event, `the custom action's findings is not a list (${shapeOf(findings)})`, TRIGGER_CODES.malformed)];
    if (findings.length === 0) return [await this.rejectEvent(event, 'the custom action named no findings', TRIGGER_CODES.malformed)];
    return Promise.all(
      findings.map(async (raw: unknown, i): Promise<TriggerResult> => {
        const which = `finding ${i + 1} of ${findings.length} of the custom action`;
        if (!isObject(raw)) return this.rejectEvent(event, `${which} is not an object (${shapeOf(raw)})`, TRIGGER_CODES.malformed);
        if (isAsffSample(raw)) return this.ignoreSample(event, 'Security Hub', findingIdOf(raw));
        const parsed = AsffFindingSchema.safeParse(raw);
        if (!parsed.success)
          return this.rejectEvent(
            event,
            `${which} is not ASFF lockdown can read: ${formatIssues(parsed.error, { limit: 3 })}`,
            TRIGGER_CODES.malformed,
          );
        const finding = readAsff(parsed.data);
        const { ref } = finding;
        const { entities, unsupported } = finding.entities;
        if (entities.length === 0) {
          const rejected = await this.rejectEvent(
            event,
            `finding ${finding.id}: ${unsupportedNote(unsupported)}`,
            TRIGGER_CODES.unsupported,
          );
          await this.note({ findings: [ref], text: unsupportedNote(unsupported) });
          return rejected;
        }
        return this.request(action, entities, ref, {
          ...(finding.firstSeenAt ? { firstSeenAt: finding.firstSeenAt } : {}),
          reason: `Security Hub finding${finding.title ? `: ${finding.title}` : ` ${finding.id}`}`,
          requestedBy: `lockdown triggers (Security Hub custom action ${action})`,
          noteWhy: `Security Hub custom action ${action}`,
        });
      }),
    );
  }

  private async outcome(event: BusEvent): Promise<TriggerResult> {
    const parsed = AuditEventSchema.safeParse(event.detail);
    if (!parsed.success)
      return this.rejectEvent(event, `not a lockdown audit record: ${formatIssues(parsed.error, { limit: 3 })}`, TRIGGER_CODES.malformed);
    const finding = parsed.data.request?.finding;
    if (!finding)
      return this.rejectEvent(
        event,
        `outcome of request ${parsed.data.requestId} has no finding to write back to`,
        TRIGGER_CODES.malformed,
      );
    await this.note({ findings: [finding], text: outcomeNote(parsed.data) });
    return { kind: 'noted', finding };
  }

  private async request(
    action: 'contain' | 'release',
    entities: EntityRef[],
    finding: FindingRef,
    options: { reason: string; ticket?: string; requestedBy: string; noteWhy: string; firstSeenAt?: string },
  ): Promise<TriggerResult> {
    const results = await this.deps.publish(entities, {
      action,
      reason: options.reason.slice(0, 1024),
      ...(options.ticket ? { ticket: options.ticket.slice(0, 128) } : {}),
      requestedBy: options.requestedBy,
      finding,
      // Whoever may import findings writes this field: one the intake would refuse (in the future) is dropped.
      ...(options.firstSeenAt && !firstSeenInFuture(options.firstSeenAt, this.at()) ? { firstSeenAt: options.firstSeenAt } : {}),
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

  /**
   * SUGGESTED, nothing changed: one audit record per entity, or, over the cap, one for the whole
   * finding (hundreds of instances are one decision, not hundreds of emails).
   */
  private async suggest(
    event: BusEvent,
    entities: EntityRef[],
    finding: FindingRef,
    reason: string,
    whole?: { code: TriggerCode; target: string },
  ): Promise<TriggerResult> {
    const at = this.at();
    const request = { reason: reason.slice(0, 1024), requestedBy: POLICY_REQUESTER, finding };
    const records: AuditEvent[] = whole
      ? [
          {
            kind: 'suggested',
            requestId: event.id,
            source: 'triggers',
            action: 'contain',
            at,
            target: whole.target.slice(0, 256),
            request,
            code: whole.code,
            detail:
              `${reason}: containment suggested, nothing changed; to contain: lockdown contain with the finding's entities (in its note), or the custom action "${CUSTOM_ACTIONS.contain.name}" on the finding`.slice(
                0,
                2048,
              ),
          },
        ]
      : entities.map((entity) => ({
          kind: 'suggested',
          requestId: event.id,
          source: 'triggers',
          action: 'contain',
          at,
          entity: auditEntity(entity),
          request,
          detail: `${reason}: containment suggested, nothing changed; to contain: lockdown contain ${entity.requestedArn}, or the custom action "${CUSTOM_ACTIONS.contain.name}" on the finding`,
        }));
    await Promise.all([
      ...records.map((r) => this.deps.audit.record(r)),
      this.note({ findings: [finding], text: suggestedNote(entities, reason) }),
    ]);
    return { kind: 'suggested', arns: entities.map((e) => e.arn) };
  }

  private rejectEvent(event: BusEvent, reason: string, code: TriggerCode): Promise<TriggerResult> {
    return this.reject(event.id, `${event.source} ${event['detail-type']}`, reason, code);
  }

  private async reject(requestId: string, target: string, reason: string, code: TriggerCode): Promise<TriggerResult> {
    const detail = reason.slice(0, 2048);
    await this.deps.audit.record({
      kind: 'rejected',
      requestId,
      source: 'triggers',
      at: this.at(),
      target: target.slice(0, 256),
      detail,
      code,
    });
    return { kind: 'rejected', reason: detail };
  }

  /** A sample finding: audited as IGNORED with its id (an operator generated it; it names fictitious resources). */
  private async ignoreSample(event: BusEvent, product: string, findingId: string | undefined): Promise<TriggerResult> {
    const reason = `${product} sample finding ${findingId ?? '(no id)'}: ignored; a sample describes fictitious resources, and lockdown never acts on one`;
    await this.deps.audit.record({
      kind: 'ignored',
      requestId: event.id,
      source: 'triggers',
      at: this.at(),
      target: findingId ?? `${event.source} ${event['detail-type']}`.slice(0, 256),
      detail: reason,
      code: TRIGGER_CODES.sample,
    });
    return { kind: 'ignored', reason };
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
