import type { SweepFindingRecord } from '@lockdown/contracts';
import { LedgerPort, LedgerRecord, LedgerStep, TimelineEntry } from './ledger';

const clone = <T>(value: T): T => structuredClone(value);

/** A ledger in memory, with the same conditional semantics as the DynamoDB one. */
export class InMemoryLedger implements LedgerPort {
  readonly records = new Map<string, LedgerRecord>();

  async get(arn: string) {
    const record = this.records.get(arn);
    return record ? clone(record) : undefined;
  }

  async create(record: LedgerRecord, previousCycle: number | undefined) {
    const existing = this.records.get(record.arn);
    const allowed = existing ? existing.cycle === previousCycle && existing.status === 'released' : previousCycle === undefined;
    if (!allowed) return false;
    this.records.set(record.arn, clone(record));
    return true;
  }

  async appendSteps(arn: string, cycle: number, expectedCount: number, steps: LedgerStep[]) {
    const record = this.current(arn, cycle);
    if (record.steps.length !== expectedCount) throw conflict('steps were appended concurrently');
    record.steps.push(...clone(steps));
  }

  async updateStep(arn: string, cycle: number, index: number, update: Pick<LedgerStep, 'id' | 'status' | 'at' | 'note'>) {
    const step = this.current(arn, cycle).steps[index];
    if (!step || step.id !== update.id) throw conflict(`step ${update.id} is not at index ${index}`);
    Object.assign(step, clone(update));
  }

  async setStatus(
    arn: string,
    cycle: number,
    status: LedgerRecord['status'],
    entry: TimelineEntry,
    extra: { release?: LedgerRecord['release']; phase?: number } = {},
  ) {
    const record = this.current(arn, cycle);
    record.status = status;
    record.timeline.push(clone(entry));
    record.updatedAt = entry.at;
    if (extra.release) record.release = clone(extra.release);
    if (extra.phase !== undefined) record.phase = extra.phase;
  }

  async recordSweep(arn: string, cycle: number, findings: SweepFindingRecord[]) {
    const record = this.current(arn, cycle);
    record.sweep = [...(record.sweep ?? []), ...clone(findings)];
  }

  private current(arn: string, cycle: number): LedgerRecord {
    const record = this.records.get(arn);
    if (!record || record.cycle !== cycle) throw conflict(`no cycle ${cycle} for ${arn}`);
    return record;
  }
}

const conflict = (message: string) => Object.assign(new Error(message), { name: 'ConditionalCheckFailedException' });
