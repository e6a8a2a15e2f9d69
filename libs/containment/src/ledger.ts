import type { SweepFindingRecord } from '@lockdown/contracts';
import { Json, PlannedStep } from './step';

export const STEP_STATUSES = ['pending', 'applied', 'reapplied', 'skipped', 'failed', 'undone'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];
export const CONTAINMENT_STATUSES = ['containing', 'contained', 'failed', 'releasing', 'released'] as const;
export type ContainmentStatus = (typeof CONTAINMENT_STATUSES)[number];

export interface LedgerStep extends PlannedStep {
  status: StepStatus;
  /** When the status last changed. */
  at?: string;
  /** For `failed` and `skipped`: why. */
  note?: string;
}

export interface TimelineEntry {
  at: string;
  requestId: string;
  event: string;
}

export interface RequestInfo {
  requestId: string;
  requestedAt: string;
  reason?: string;
  ticket?: string;
  requestedBy?: string;
  /** The topic the request came through (its authority: `ingress` contains, `release` releases). */
  authority?: string;
  /** The Security Hub finding the request came from. */
  finding?: { id: string; productArn: string };
}

/** The ledger of one entity (one item per entity ARN), for its current containment cycle. */
export interface LedgerRecord {
  arn: string;
  entityType: string;
  /** 1 for the first containment; +1 for each containment after a release. */
  cycle: number;
  status: ContainmentStatus;
  /** The request that started this cycle. */
  request: RequestInfo;
  /** Captured once, by the first delivery of the first request of the cycle. */
  original: { capturedAt: string; requestId: string; state: Json };
  steps: LedgerStep[];
  timeline: TimelineEntry[];
  updatedAt: string;
  release?: { requestId: string; at: string };
  /** Service-specific progress (e.g. EC2 isolation's phase). */
  phase?: number;
  /** What the persistence sweep found the contained identity had left, each with its CloudTrail event. */
  sweep?: SweepFindingRecord[];
}

/** The ledger port: conditional writes make concurrent deliveries safe. */
export interface LedgerPort {
  get(arn: string): Promise<LedgerRecord | undefined>;
  /**
   * Records a new cycle. Succeeds only if there is no record, or the record is the released
   * cycle `previousCycle`; returns false if another delivery got there first.
   */
  create(record: LedgerRecord, previousCycle: number | undefined): Promise<boolean>;
  /** Appends steps found by a later run of the same cycle (e.g. a key created since). */
  appendSteps(arn: string, cycle: number, expectedCount: number, steps: LedgerStep[]): Promise<void>;
  updateStep(arn: string, cycle: number, index: number, update: Pick<LedgerStep, 'id' | 'status' | 'at' | 'note'>): Promise<void>;
  setStatus(
    arn: string,
    cycle: number,
    status: ContainmentStatus,
    entry: TimelineEntry,
    extra?: { release?: LedgerRecord['release']; phase?: number },
  ): Promise<void>;
  /** Appends the sweep's new findings to this cycle's record. */
  recordSweep(arn: string, cycle: number, findings: SweepFindingRecord[]): Promise<void>;
}
