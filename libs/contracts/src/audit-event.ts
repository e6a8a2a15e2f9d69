import { array, boolean, enum as zEnum, iso, number, object, optional, string } from 'zod/mini';
import type { z } from 'zod/mini';
import { ENTITY_TYPES } from './entity';
import { FindingRefSchema } from './finding';
import { AUTHORITY_NAMES } from './authority';
import { ACTIONS } from './ingress';

/**
 * `suggested`: a finding named an entity lockdown supports and the triggers' policy said to
 * suggest containing it (nothing changed). `tampered`: the tamper watch found a containment step undone after containment, and re-applied it.
 * `ignored`: the triggers deliberately did nothing with a finding and say why in `code` (`sample-finding`: a sample).
 * `swept`: the persistence sweep read the contained identity's CloudTrail events and lists what it left (`sweep`). */
export const AUDIT_KINDS = [
  'received',
  'rejected',
  'planned',
  'containing',
  'contained',
  'released',
  'noop',
  'failed',
  'tampered',
  'suggested',
  'ignored',
  'swept',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** The audit topic's fixed name (core stack), in the security account and region of the ingress topic. */
export const AUDIT_TOPIC_NAME = 'lockdown-audit';
/** The SNS message attributes every audit message carries: subscribers filter on them (the CLI's --wait on kind). */
export const AUDIT_MESSAGE_ATTRIBUTES = { kind: 'kind', source: 'source', requestId: 'requestId', entityType: 'entityType' } as const;

export const STEP_OUTCOMES = ['planned', 'pending', 'applied', 'reapplied', 'skipped', 'undone', 'failed'] as const;
export type StepOutcome = (typeof STEP_OUTCOMES)[number];

export const AuditStepSchema = object({
  id: string(),
  description: string(),
  outcome: zEnum(STEP_OUTCOMES),
  at: optional(iso.datetime()),
  detail: optional(string()),
});
export type AuditStep = z.infer<typeof AuditStepSchema>;

export const SWEEP_ACTIONS = ['reported', 'contained'] as const;

/** One thing the contained identity left, with its CloudTrail evidence. */
export const SweepFindingSchema = object({
  eventId: string(),
  eventTime: string(),
  eventName: string(),
  /** The account it was made in, when not the contained entity's (an Identity Center user's, in an account it reached). */
  accountId: optional(string()),
  region: string(),
  sourceIp: string(),
  category: string(),
  reason: string(),
  /** What it created or changed: `<kind> <id>` (and a detail). */
  entities: array(string()),
  /** `contained`: the sweep policy sent it to the intake (a request derived from this one). */
  action: zEnum(SWEEP_ACTIONS),
});
export type SweepFindingRecord = z.infer<typeof SweepFindingSchema>;
export const SweepReportSchema = object({
  /** The CloudTrail window read, and where. */
  from: iso.datetime(),
  to: iso.datetime(),
  regions: array(string()),
  /** LookupEvents pages read. */
  pages: number(),
  /** The findings listed: at most a hundred (`MAX_REPORTED_FINDINGS`), the most pressing first; `more` counts the rest. */
  findings: array(SweepFindingSchema),
  /** The new findings not listed, counted per category (reported all the same: a later tick does not list them). */
  more: optional(array(object({ category: string(), count: number() }))),
  /** What the page budget left unread, per region (the next tick of the watch reads it first). */
  unread: optional(array(object({ accountId: optional(string()), region: string(), from: iso.datetime(), to: iso.datetime() }))),
  /** The regions whose event history could not be read this time, and why (the next tick reads them again). */
  failed: optional(array(object({ region: string(), reason: string() }))),
});
export type SweepReport = z.infer<typeof SweepReportSchema>;

/** One audit record: published to the audit topic (email), logged, and counted as a metric. */
export const AuditEventSchema = object({
  kind: zEnum(AUDIT_KINDS),
  requestId: string(),
  /** Which component wrote it: `intake` or a service name. */
  source: string(),
  action: optional(zEnum(ACTIONS)),
  at: iso.datetime(),
  /** The target, when it could be parsed. */
  entity: optional(object({ type: zEnum(ENTITY_TYPES), arn: string(), accountId: string(), region: optional(string()), name: string() })),
  /** The ARN as received (truncated), for requests whose ARN could not be parsed. */
  target: optional(string()),
  request: optional(
    object({
      reason: optional(string()),
      ticket: optional(string()),
      requestedBy: optional(string()),
      finding: optional(FindingRefSchema),
      firstSeenAt: optional(string()),
      requestedAt: optional(string()),
      dryRun: optional(boolean()),
      /** The topic the request came through (set by SNS): `ingress` contains, `release` releases. */
      authority: optional(zEnum(AUTHORITY_NAMES)),
    }),
  ),
  /** What happened, in one sentence (for a rejection or failure: the precise reason). */
  detail: string(),
  /** A stable machine-readable reason code for rejections and failures. */
  code: optional(string()),
  steps: optional(array(AuditStepSchema)),
  /** How to undo what was done (shown on `contained`). */
  release: optional(string()),
  /** What the persistence sweep found (on `swept`): only what no earlier sweep of this containment reported. */
  sweep: optional(SweepReportSchema),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

/** Metric names by audit kind, e.g. `Contained`, `Rejected` (namespace `Lockdown`; the FAILED alarms watch `Failed`). */
export const auditMetricName = (kind: AuditEvent['kind']) =>
  kind
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
