import { array, enum as zEnum, json, number, object, optional, string } from 'zod/mini';
import type { ZodMiniType } from 'zod/mini';
import { SweepFindingSchema, formatIssues } from '@lockdown/contracts';
import { ContainmentError } from './failure';
import { CONTAINMENT_STATUSES, LedgerRecord, STEP_STATUSES } from './ledger';

const LedgerStepSchema = object({
  id: string(),
  kind: string(),
  description: string(),
  stage: number(),
  params: json(),
  original: json(),
  calls: object({ apply: array(string()), undo: array(string()) }),
  undoneBy: optional(string()),
  status: zEnum(STEP_STATUSES),
  at: optional(string()),
  note: optional(string()),
});

const RequestInfoSchema = object({
  requestId: string(),
  requestedAt: string(),
  reason: optional(string()),
  ticket: optional(string()),
  requestedBy: optional(string()),
  authority: optional(string()),
  finding: optional(object({ id: string(), productArn: string() })),
});

/** A ledger record as it must be read back from storage (the type checks it is a `LedgerRecord`). */
export const LedgerRecordSchema: ZodMiniType<LedgerRecord> = object({
  arn: string(),
  entityType: string(),
  cycle: number(),
  status: zEnum(CONTAINMENT_STATUSES),
  request: RequestInfoSchema,
  original: object({ capturedAt: string(), requestId: string(), state: json() }),
  steps: array(LedgerStepSchema),
  timeline: array(object({ at: string(), requestId: string(), event: string() })),
  updatedAt: string(),
  release: optional(object({ requestId: string(), at: string() })),
  phase: optional(number()),
  sweep: optional(array(SweepFindingSchema)),
});

/** A stored ledger record that is not one: written by something else, or damaged. Retrying reads the same. */
export class CorruptLedgerRecordError extends ContainmentError {
  constructor(message: string) {
    super(message, { retryable: false, code: 'corrupt-ledger' });
  }
}

/** A stored item as a ledger record, or a clear error naming where it is and what is wrong with it. */
export function parseLedgerRecord(item: unknown, where: { arn: string; table: string }): LedgerRecord {
  const parsed = LedgerRecordSchema.safeParse(item);
  if (parsed.success) return parsed.data;
  throw new CorruptLedgerRecordError(
    `the ledger record of ${where.arn} in ${where.table} is malformed: ${formatIssues(parsed.error, { limit: 3 })}`,
  );
}
