import { EntityType } from './entity';
import { Action } from './ingress';

export const AUDIT_KINDS = ['received', 'rejected', 'planned', 'containing', 'contained', 'released', 'noop', 'failed'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export type StepOutcome = 'planned' | 'pending' | 'applied' | 'reapplied' | 'skipped' | 'undone' | 'failed';

export interface AuditStep {
  id: string;
  description: string;
  outcome: StepOutcome;
  at?: string;
  detail?: string;
}

/** One audit record: published to the audit topic (email), logged, and counted as a metric. */
export interface AuditEvent {
  kind: AuditKind;
  requestId: string;
  /** Which component wrote it: `intake` or a service name. */
  source: string;
  action?: Action;
  /** ISO time. */
  at: string;
  /** The target, when it could be parsed. */
  entity?: { type: EntityType; arn: string; accountId: string; region?: string; name: string };
  /** The ARN as received (truncated), for requests whose ARN could not be parsed. */
  target?: string;
  request?: { reason?: string; ticket?: string; requestedBy?: string; requestedAt?: string; dryRun?: boolean };
  /** What happened, in one sentence (for a rejection or failure: the precise reason). */
  detail: string;
  /** A stable machine-readable reason code for rejections and failures. */
  code?: string;
  steps?: AuditStep[];
  /** How to undo what was done (shown on `contained`). */
  release?: string;
}
