import type { Json, LedgerRecord, LedgerStep, RequestInfo, StepStatus, TimelineEntry } from '@lockdown/containment';

/** A bar on the timeline: seconds from the request's receipt. */
export interface Span {
  start: number;
  end: number;
  /** When the ledger recorded it (ISO). */
  at: string;
}

export interface StepReport {
  id: string;
  description: string;
  kind: string;
  stage: number;
  /** Its status now. */
  status: StepStatus;
  note?: string;
  /** The pre-containment value the step replaced (what its undo restores). */
  original: Json;
  calls: { apply: string[]; undo: string[] };
  /** From when its stage could start to when the ledger recorded it applied (or skipped, or failed). */
  applied?: Span & { status: StepStatus };
  /** From when the release reached its stage to when the ledger recorded it undone. */
  undone?: Span;
}

export type IncidentEventKind = 'received' | 'first-effect' | 'contained' | 'tampered' | 'failed' | 'release-started' | 'released';

export interface IncidentEvent {
  kind: IncidentEventKind;
  /** Seconds from the request's receipt. */
  at: number;
  iso: string;
  label: string;
}

/** One audit record shown with the incident (the drill has the audit emails; the ledger alone has its timeline). */
export interface AuditLine {
  when: string;
  subject: string;
  body: string;
}

/** Everything a post-incident review reads about one containment cycle: pure data, rendered as HTML or Markdown. */
export interface IncidentReport {
  arn: string;
  entityType: string;
  cycle: number;
  status: LedgerRecord['status'];
  request: RequestInfo;
  release?: { requestId: string; at: string };
  /** The origin of every time in the report: when the request was received. */
  receivedAt: string;
  capturedAt: string;
  steps: StepReport[];
  events: IncidentEvent[];
  /** The ledger's own trail: every status change, with the request that made it. */
  trail: TimelineEntry[];
  audit: AuditLine[];
}

const EFFECTIVE: ReadonlySet<StepStatus> = new Set(['applied', 'reapplied']);
const RECORDED_APPLY: ReadonlySet<StepStatus> = new Set(['applied', 'reapplied', 'skipped', 'failed']);

/** What the executor writes in the ledger's timeline, read back as the moments of the incident. */
const TIMELINE_EVENTS: Array<[RegExp, IncidentEventKind, string]> = [
  [/^contained/, 'contained', 'contained'],
  [/^tamper watch: (?!verified).*re-applied/, 'tampered', 'tampering undone'],
  [/^(verify: |a first step failed|step .* failed)/, 'failed', 'failed'],
  [/^release started/, 'release-started', 'release started'],
  [/^released/, 'released', 'released'],
];

/**
 * The report of one entity's containment cycle, from its ledger record. The ledger keeps each
 * step's last status change only: pass earlier reads of the same cycle too (`snapshots`, oldest
 * first; the drill reads it once contained and once released) and each step's apply and undo both
 * show. Stages run one after another, so a step's bar starts when its stage could start (the
 * record was created, or the previous stage's last step was recorded).
 */
export function buildIncidentReport(snapshots: LedgerRecord[], audit: AuditLine[] = []): IncidentReport {
  const record = snapshots.at(-1);
  if (!record) throw new Error('no ledger record to report on');
  const foreign = snapshots.find((s) => s.arn !== record.arn || s.cycle !== record.cycle);
  if (foreign)
    throw new Error(
      `the ledger reads are of different containments: ${foreign.arn} cycle ${foreign.cycle}, ${record.arn} cycle ${record.cycle}`,
    );
  const origin = Date.parse(record.request.requestedAt);
  const seconds = (iso: string) => (Date.parse(iso) - origin) / 1000;

  const history = (step: LedgerStep) => snapshots.flatMap((s) => s.steps.filter((x) => x.id === step.id && x.at));
  const appliedOf = new Map(record.steps.map((step) => [step.id, history(step).find((h) => RECORDED_APPLY.has(h.status))] as const));
  const undoneOf = new Map(record.steps.map((step) => [step.id, history(step).find((h) => h.status === 'undone')] as const));
  const releaseStart = [...record.timeline].reverse().find((e) => e.event.startsWith('release started'))?.at;

  const steps = record.steps.map((step): StepReport => {
    const applied = appliedOf.get(step.id);
    const undone = undoneOf.get(step.id);
    const stageStart = (at: string) =>
      Math.max(
        seconds(record.original.capturedAt),
        ...record.steps
          .filter((s) => s.stage < step.stage)
          .map((s) => appliedOf.get(s.id)?.at)
          .filter((t): t is string => t !== undefined && t <= at)
          .map(seconds),
      );
    const undoStart = (at: string) =>
      Math.max(
        releaseStart ? seconds(releaseStart) : seconds(at),
        ...record.steps
          .filter((s) => s.stage > step.stage)
          .map((s) => undoneOf.get(s.id)?.at)
          .filter((t): t is string => t !== undefined && t <= at)
          .map(seconds),
      );
    return {
      id: step.id,
      description: step.description,
      kind: step.kind,
      stage: step.stage,
      status: step.status,
      ...(step.note ? { note: step.note } : {}),
      original: step.original,
      calls: step.calls,
      ...(applied?.at
        ? {
            applied: {
              // A re-apply (verify, or the tamper watch) is not its stage's run: it is drawn at its moment.
              start: applied.status === 'reapplied' ? seconds(applied.at) : Math.min(stageStart(applied.at), seconds(applied.at)),
              end: seconds(applied.at),
              at: applied.at,
              status: applied.status,
            },
          }
        : {}),
      ...(undone?.at
        ? { undone: { start: Math.min(undoStart(undone.at), seconds(undone.at)), end: seconds(undone.at), at: undone.at } }
        : {}),
    };
  });

  // In the order they ran: by stage, then by when the ledger recorded them.
  const when = (s: StepReport) => s.applied?.end ?? s.undone?.end ?? Number.POSITIVE_INFINITY;
  steps.sort((a, b) => a.stage - b.stage || when(a) - when(b));
  const event = (kind: IncidentEventKind, iso: string, label: string): IncidentEvent => ({ kind, at: seconds(iso), iso, label });
  const firstEffect = steps
    .filter((s) => s.applied && EFFECTIVE.has(s.applied.status))
    .map((s) => s.applied!.at)
    .sort()[0];
  const events = [
    event('received', record.request.requestedAt, 'received'),
    ...(firstEffect ? [event('first-effect', firstEffect, 'first effect')] : []),
    ...record.timeline.flatMap((entry) => {
      const match = TIMELINE_EVENTS.find(([pattern]) => pattern.test(entry.event));
      return match ? [event(match[1], entry.at, match[2])] : [];
    }),
  ].sort((a, b) => a.at - b.at);

  return {
    arn: record.arn,
    entityType: record.entityType,
    cycle: record.cycle,
    status: record.status,
    request: record.request,
    ...(record.release ? { release: record.release } : {}),
    receivedAt: record.request.requestedAt,
    capturedAt: record.original.capturedAt,
    steps,
    events,
    trail: record.timeline,
    audit,
  };
}
