import { isNotFound } from './aws-errors';
import { ContainmentError, FailureClass, IncompleteContainmentError, classifyFailure, errorMessage } from './failure';
import { LedgerPort, LedgerRecord, LedgerStep, RequestInfo, StepStatus } from './ledger';
import { ContainmentAdapter, PlannedStep } from './step';

export interface EntityKey {
  arn: string;
  type: string;
}

/** `held` and `tampered`: a tamper-watch tick found every step in effect, or found some undone and re-applied them. */
export type OutcomeKind = 'planned' | 'containing' | 'contained' | 'released' | 'noop' | 'held' | 'tampered';

export interface Outcome {
  kind: OutcomeKind;
  detail: string;
  steps: LedgerStep[];
  /** Steps found undone by verify and applied again. */
  reapplied: string[];
  notes?: string[];
  record?: LedgerRecord;
  /** A tamper-watch tick found nothing left to watch (released, or replaced by another containment). */
  watchEnded?: boolean;
}

export interface ContainOptions {
  /** Run only the stages up to this one (a later delivery runs the rest), e.g. EC2's phase 1. */
  throughStage?: number;
  /** Apply the adapter's receipt steps while observing (default); off for a redelivery, whose first attempt sent them. */
  onReceipt?: boolean;
}

const DONE: ReadonlySet<StepStatus> = new Set(['applied', 'reapplied', 'skipped']);
const UNDOABLE: ReadonlySet<StepStatus> = new Set(['applied', 'reapplied', 'failed']);

const stagesOf = (steps: readonly LedgerStep[]) => [...new Set(steps.map((s) => s.stage))].sort((a, b) => a - b);
const pending = (step: PlannedStep): LedgerStep => ({ ...step, status: 'pending' });

/** Whether this receipt step was applied (its promise fulfilled). */
const appliedOnReceiptOf = (step: LedgerStep, results: PromiseSettledResult<unknown>[], receipt: LedgerStep[]) =>
  results[receipt.indexOf(step)]?.status === 'fulfilled';

/** A promise awaited later: its failure is reported then, not as an unhandled rejection now. */
function handledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * A tamper-watch tick that re-applied what was undone and found it undone again at once: the
 * tampering is reported (`report`, a TAMPERED outcome) and the tick retried, like any failure.
 */
export class StillTamperedError extends ContainmentError {
  constructor(
    cause: ContainmentError,
    readonly report: Outcome,
  ) {
    super(cause.message, cause.failure, cause.stepId, cause);
  }
}

/**
 * Runs containment as a recorded plan: observe -> plan -> execute -> verify, every step written
 * to the ledger; release undoes the recorded steps in reverse order. Idempotent: a re-delivery
 * continues the recorded plan and never re-captures the original state.
 */
export class Executor<Ctx, State> {
  constructor(
    private readonly adapter: ContainmentAdapter<Ctx, State>,
    private readonly ledger: LedgerPort,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The plan containment would run now, without changing or recording anything. */
  async dryRun(ctx: Ctx, entity: EntityKey): Promise<Outcome> {
    const [state, existing] = await Promise.all([this.adapter.observe(ctx), this.ledger.get(entity.arn)]);
    const active = existing && existing.status !== 'released' ? existing : undefined;
    const fresh = this.adapter.plan(state).map(pending);
    const steps = active ? [...active.steps, ...fresh.filter((s) => !active.steps.some((r) => r.id === s.id))] : fresh;
    const todo = steps.filter((s) => !DONE.has(s.status));
    const detail =
      todo.length === 0 ? 'dry run: already contained, nothing to do' : `dry run: ${todo.length} step(s) would run; nothing was changed`;
    return { kind: 'planned', detail, steps: todo.map((s) => ({ ...s, status: 'pending' })), reapplied: [] };
  }

  /** What a release would undo now, without changing or recording anything. */
  async dryRunRelease(entity: EntityKey): Promise<Outcome> {
    const record = await this.ledger.get(entity.arn);
    if (!record || record.status === 'released')
      return { kind: 'planned', detail: 'dry run: not contained, a release would do nothing', steps: [], reapplied: [] };
    const steps = record.steps.filter((s) => UNDOABLE.has(s.status)).reverse();
    return { kind: 'planned', detail: `dry run: a release would undo ${steps.length} step(s); nothing was changed`, steps, reapplied: [] };
  }

  async contain(ctx: Ctx, entity: EntityKey, request: RequestInfo, options: ContainOptions = {}): Promise<Outcome> {
    const receipt = options.onReceipt === false ? [] : this.checked(this.adapter.onReceipt?.() ?? []).map(pending);
    // A receipt step that fails here stays pending: it runs again with stage 0, and fails there loudly.
    const receiving = Promise.allSettled(receipt.map((step) => this.applyStep(ctx, step)));
    const [state, existing, receipts] = await Promise.all([this.adapter.observe(ctx), this.ledger.get(entity.arn), receiving]).catch(
      // A failed observation fails the attempt once the receipt steps are done: an invocation that returned with calls
      // still in flight would leave them to a frozen container (Lambda), to land later or never.
      async (error: unknown) => {
        await receiving;
        throw error;
      },
    );
    // A delivery of a request whose containment was released since (SQS retried it, or delivered it
    // again): the release wins, nothing is applied again (what this delivery put on receipt is taken back).
    if (
      existing?.status === 'released' &&
      (existing.request.requestId === request.requestId || existing.timeline.some((t) => t.requestId === request.requestId))
    ) {
      await Promise.all(
        receipt.filter((step) => appliedOnReceiptOf(step, receipts, receipt)).map((step) => this.kind(step).undo(ctx, step)),
      );
      return {
        kind: 'noop',
        detail: `not contained again: request ${request.requestId} was released by request ${existing.release?.requestId ?? 'unknown'} while it was being retried; the release wins`,
        steps: existing.steps,
        reapplied: [],
      };
    }
    const fresh = this.checked(this.adapter.plan(state));
    const unplanned = receipt.filter((r) => !fresh.some((s) => s.id === r.id));
    if (unplanned.length > 0) throw new Error(`steps applied on receipt but not planned: ${unplanned.map((s) => s.id).join(', ')}`);
    const appliedOnReceipt = new Map(
      receipt.flatMap((step, i) => {
        const result = receipts[i]!;
        return result.status === 'fulfilled' ? [[step.id, result.value] as const] : [];
      }),
    );
    if (existing) this.checked(existing.steps);
    const notes = this.adapter.notes?.(state) ?? [];
    let record: LedgerRecord;
    let recording: Promise<unknown> = Promise.resolve();
    let failed = new Map<string, unknown>();
    if (existing && existing.status !== 'released') {
      record = await this.extend(existing, fresh, request);
      // This cycle's recorded steps win over what was applied on receipt for a newer request
      // (e.g. its tag value): put them back before verifying, which would otherwise call it tampering.
      const overwritten = record.steps.filter((s) => {
        const applied = receipt.find((r) => r.id === s.id);
        return applied && appliedOnReceipt.has(s.id) && JSON.stringify(applied.params) !== JSON.stringify(s.params);
      });
      await this.applyStages(ctx, overwritten);
    } else {
      ({ record, recording, failed } = await this.begin(ctx, entity, request, state, fresh, existing?.cycle, appliedOnReceipt));
    }
    const last = options.throughStage ?? Number.POSITIVE_INFINITY;
    await this.runStages(ctx, record, request, last, recording, failed);
    const reapplied = await this.verify(ctx, record, request);
    const remaining = record.steps.filter((s) => s.stage > last && !DONE.has(s.status));
    const verified = reapplied.length > 0 ? `verify re-applied ${reapplied.join(', ')}` : 'verified';
    if (remaining.length > 0) {
      await this.setStatus(
        record,
        'containing',
        request,
        `steps through stage ${last} done and ${verified}; ${remaining.length} step(s) follow`,
      );
      const detail = `first phase done and ${verified}; ${remaining.length} step(s) follow`;
      return { kind: 'containing', detail, steps: record.steps, reapplied, notes, record };
    }
    await this.setStatus(record, 'contained', request, `contained and ${verified}`);
    const detail =
      reapplied.length > 0 ? `contained; verify found ${reapplied.length} step(s) undone and re-applied them` : 'contained and verified';
    return { kind: 'contained', detail, steps: record.steps, reapplied, notes, record };
  }

  /**
   * One tick of the tamper watch: re-observe, re-apply whatever was undone since containment, read
   * back. Only for the containment the watch belongs to (`request`), and only while it is
   * contained: after a release, or once another containment replaced it, the watch ends (noop).
   * A release may run at the same moment (another delivery): the ledger is read again just before
   * re-applying and just after, and what the tick re-applied while a release started is undone again.
   */
  async watch(ctx: Ctx, entity: EntityKey, request: RequestInfo): Promise<Outcome> {
    const ended = (detail: string): Outcome => ({ kind: 'noop', detail, steps: [], reapplied: [], watchEnded: true });
    const current = async () => {
      const record = await this.ledger.get(entity.arn);
      if (record) this.checked(record.steps);
      if (!record) return { ended: ended('watch ended: lockdown has no containment record for this entity') };
      if (record.request.requestId !== request.requestId)
        return { ended: ended('watch ended: another containment replaced the one it watched') };
      if (record.status === 'released')
        return { ended: ended(`watch ended: released by request ${record.release?.requestId ?? 'unknown'}`) };
      // A failed verify (retried) is watched too: the tick tries again to re-apply.
      if (record.status !== 'contained' && record.status !== 'failed')
        return { ended: ended(`watch ended: the containment is ${record.status}`) };
      return { record };
    };
    // The record first: an ended watch reads nothing, and the observation learns what the steps touch.
    const first = await current();
    if (!first.record) return first.ended!;
    this.adapter.recall?.(ctx, first.record.steps);
    const state = await this.adapter.observe(ctx);
    const seenAt = this.now().toISOString();
    const missing = this.endState(first.record).filter((s) => !this.kind(s).inEffect(state, s));
    if (missing.length === 0) {
      if (first.record.status === 'failed') await this.setStatus(first.record, 'contained', request, 'tamper watch: verified contained');
      return { kind: 'held', detail: 'held: every step still in effect', steps: [], reapplied: [], record: first.record };
    }
    const before = await current();
    if (!before.record) return before.ended!;
    const record = before.record;
    await this.applyStages(ctx, missing);
    const after = await current();
    if (!after.record) {
      // A release started meanwhile: what this tick re-applied must not outlive it.
      const results = await Promise.allSettled(missing.map((step) => this.kind(step).undo(ctx, step)));
      this.throwFirstFailure(results, missing, 'undo');
      return ended(`${after.ended!.detail}; the steps this tick had re-applied meanwhile were undone again`);
    }
    await Promise.all(missing.map((step) => this.updateStep(record, step, 'reapplied')));
    const reapplied = missing.map((s) => s.id);
    try {
      await this.readBack(ctx, record, request, missing);
    } catch (error) {
      if (!(error instanceof ContainmentError)) throw error;
      // Undone again at once: someone is fighting back now. Say so before the tick is retried.
      const report: Outcome = {
        kind: 'tampered',
        detail: `tampering undone: ${missing.map((s) => s.description).join('; ')}: found undone at ${seenAt} and re-applied, then undone again before the read-back (an attacker is acting now); the tick is retried`,
        steps: missing,
        reapplied,
        record,
      };
      throw new StillTamperedError(error, report);
    }
    await this.setStatus(
      record,
      'contained',
      request,
      `tamper watch: ${reapplied.join(', ')} found undone at ${seenAt}, re-applied and read back in effect`,
    );
    return {
      kind: 'tampered',
      detail: `tampering undone: ${missing.map((s) => s.description).join('; ')}: found undone at ${seenAt}, re-applied, and the read-back shows ${missing.length > 1 ? 'them' : 'it'} in effect`,
      steps: missing,
      reapplied,
      record,
    };
  }

  async release(ctx: Ctx, entity: EntityKey, request: RequestInfo): Promise<Outcome> {
    const record = await this.ledger.get(entity.arn);
    if (record) this.checked(record.steps);
    if (!record || record.status === 'released') {
      const detail = record
        ? `not contained: already released by request ${record.release?.requestId ?? 'unknown'}`
        : 'not contained: lockdown has no containment record for this entity';
      return { kind: 'noop', detail, steps: record?.steps ?? [], reapplied: [], record };
    }
    await this.setStatus(record, 'releasing', request, 'release started');
    for (const stage of stagesOf(record.steps).reverse()) {
      const steps = record.steps.filter((s) => s.stage === stage && UNDOABLE.has(s.status));
      const results = await Promise.allSettled(steps.map((step) => this.undoStep(ctx, record, step)));
      this.throwFirstFailure(results, steps, 'undo');
    }
    const at = this.now().toISOString();
    record.release = { requestId: request.requestId, at };
    await this.setStatus(record, 'released', request, 'released: recorded state restored', { release: record.release });
    return {
      kind: 'released',
      detail: 'released: every recorded step undone in reverse order',
      steps: record.steps,
      reapplied: [],
      record,
    };
  }

  private async begin(
    ctx: Ctx,
    entity: EntityKey,
    request: RequestInfo,
    state: State,
    plan: PlannedStep[],
    previousCycle: number | undefined,
    /** Steps applied on receipt, with their skip reason if they were skipped. */
    appliedOnReceipt: ReadonlyMap<string, string | undefined> = new Map(),
  ): Promise<{ record: LedgerRecord; recording: Promise<unknown>; failed: Map<string, unknown> }> {
    const at = this.now().toISOString();
    const done = (step: PlannedStep): LedgerStep => {
      if (!appliedOnReceipt.has(step.id)) return pending(step);
      const skipped = appliedOnReceipt.get(step.id);
      return { ...step, status: skipped ? 'skipped' : 'applied', at, ...(skipped ? { note: skipped } : {}) };
    };
    const record: LedgerRecord = {
      arn: entity.arn,
      entityType: entity.type,
      cycle: (previousCycle ?? 0) + 1,
      status: 'containing',
      request,
      original: { capturedAt: at, requestId: request.requestId, state: this.adapter.snapshot(state) },
      steps: plan.map(done),
      timeline: [{ at, requestId: request.requestId, event: 'containment started: original state captured' }],
      updatedAt: at,
    };
    // Self-identifying steps (stage 0) run while the record is written: the first effect lands
    // one round trip after the observation, and a lost write cannot corrupt the original state.
    const early = record.steps.filter((s) => s.stage === 0 && s.status === 'pending');
    const [created, ...results] = await Promise.allSettled([
      this.ledger.create(record, previousCycle),
      ...early.map((step) => this.applyStep(ctx, step)),
    ]);
    if (created.status === 'rejected') throw created.reason;
    if (!created.value) {
      // Another delivery recorded this cycle first: its original state is the one that counts.
      const winner = await this.ledger.get(entity.arn);
      if (!winner)
        throw new ContainmentError('ledger record vanished during a concurrent delivery', { retryable: true, code: 'transient' });
      return { record: await this.extend(winner, plan, request), recording: Promise.resolve(), failed: new Map() };
    }
    const recording = handledLater(Promise.all(early.map((step, i) => this.recordResult(record, step, results[i]!))));
    // A first step that failed does not stop the others (runStages reports it with them, and does not try it twice).
    const failed = new Map(early.flatMap((step, i) => (results[i]!.status === 'rejected' ? [[step.id, results[i]!.reason] as const] : [])));
    return { record, recording, failed };
  }

  /** A re-run of an active cycle: keep recorded steps (and their originals), add only new ones. */
  private async extend(record: LedgerRecord, fresh: PlannedStep[], request: RequestInfo): Promise<LedgerRecord> {
    const added = fresh.filter((s) => !record.steps.some((r) => r.id === s.id)).map(pending);
    if (added.length > 0) {
      await this.ledger.appendSteps(record.arn, record.cycle, record.steps.length, added);
      record.steps.push(...added);
    }
    if (record.status !== 'containing')
      await this.setStatus(record, 'containing', request, `containment resumed (${added.length} new step(s))`);
    return record;
  }

  /**
   * Applies the stages in order. A stage's results are written to the ledger while the next
   * stage runs (the plan already recorded every step as pending, and each step is idempotent, so
   * a crash in between only repeats a step): ledger writes stay off the critical path.
   * A step that fails (a quota, a refusal) does not keep the other steps from being applied: every
   * stage still runs, so what can hold does (the concurrency at 0 when the credential deny cannot
   * be placed). Then the attempt fails, saying which steps hold and which do not, and why.
   * `failed`: steps this invocation already tried and saw fail (not tried twice).
   */
  private async runStages(
    ctx: Ctx,
    record: LedgerRecord,
    request: RequestInfo,
    last: number,
    recording: Promise<unknown>,
    failed: Map<string, unknown>,
  ): Promise<void> {
    const writes: Array<Promise<unknown>> = [recording];
    for (const stage of stagesOf(record.steps).filter((s) => s <= last)) {
      const steps = record.steps.filter((s) => s.stage === stage && !DONE.has(s.status) && !failed.has(s.id));
      const results = await Promise.allSettled(steps.map((step) => this.applyStep(ctx, step)));
      writes.push(handledLater(Promise.all(steps.map((step, i) => this.recordResult(record, step, results[i]!)))));
      results.forEach((result, i) => {
        if (result.status === 'rejected') failed.set(steps[i]!.id, result.reason);
      });
    }
    await Promise.all(writes);
    if (failed.size > 0) await this.failIncomplete(record, request, last, failed);
  }

  /** Records and throws an attempt in which some steps could not be applied: what holds, what does not and why. */
  private async failIncomplete(record: LedgerRecord, request: RequestInfo, last: number, failed: Map<string, unknown>): Promise<never> {
    const failedSteps = record.steps.filter((s) => failed.has(s.id));
    const classOf = (reason: unknown): FailureClass => (reason instanceof ContainmentError ? reason.failure : classifyFailure(reason));
    const messageOf = (reason: unknown) => (reason instanceof ContainmentError ? reason.message : errorMessage(reason));
    const holding = record.steps.filter((s) => s.stage <= last && (s.status === 'applied' || s.status === 'reapplied')).map((s) => s.id);
    const summary =
      `could not apply ${failedSteps.map((s) => `step "${s.id}" (${s.description}): ${messageOf(failed.get(s.id))}`).join('; ')}` +
      `; applied and holding: ${holding.length > 0 ? holding.join(', ') : 'nothing'}`;
    await this.setStatus(record, 'failed', request, summary);
    // Retried while any failure may pass on a retry (a throttle); the first failure names the step and the code.
    const first = failedSteps[0]!;
    const retryable = failedSteps.find((s) => classOf(failed.get(s.id)).retryable);
    const failure = { retryable: retryable !== undefined, code: classOf(failed.get((retryable ?? first).id)).code };
    throw new IncompleteContainmentError(
      `not fully contained: ${summary}`,
      failure,
      (retryable ?? first).id,
      failed.get((retryable ?? first).id),
      record.steps,
    );
  }

  /** Applies a step; resolves to a skip reason when the step kind says containment does not need it. */
  private async applyStep(ctx: Ctx, step: LedgerStep): Promise<string | undefined> {
    const kind = this.kind(step);
    try {
      await kind.apply(ctx, step);
      return undefined;
    } catch (error) {
      const skip = kind.skipReason?.(error, step);
      if (skip) return skip;
      throw error;
    }
  }

  private async recordResult(record: LedgerRecord, step: LedgerStep, result: PromiseSettledResult<string | undefined>) {
    if (result.status === 'fulfilled') {
      await this.updateStep(record, step, result.value ? 'skipped' : 'applied', result.value);
    } else {
      await this.updateStep(record, step, 'failed', errorMessage(result.reason));
    }
  }

  private async undoStep(ctx: Ctx, record: LedgerRecord, step: LedgerStep): Promise<void> {
    const supersededBy = step.undoneBy ? record.steps.find((s) => s.id === step.undoneBy) : undefined;
    if (supersededBy?.status === 'undone') {
      await this.updateStep(record, step, 'undone', `restored by the undo of ${supersededBy.id}`);
      return;
    }
    let note: string | void;
    try {
      note = await this.kind(step).undo(ctx, step);
    } catch (error) {
      // The entity or the resource the step changed was deleted since: there is nothing left to restore.
      if (!isNotFound(error)) throw error;
      await this.updateStep(record, step, 'undone', `nothing to undo: the entity or resource is gone (${errorMessage(error)})`);
      return;
    }
    await this.updateStep(record, step, 'undone', note || undefined);
  }

  /**
   * Reads the entity back and re-applies what is missing (an attacker may race us, and a read may
   * be stale). Only the end state of each resource is re-applied: a step superseded by a later
   * one (EC2's untracked group, replaced by the isolation group) is not checked. Re-applies run
   * stage by stage, then the entity is read again: what is still missing fails the attempt
   * (retried through SQS, then dead-lettered with an alarm), never reported as contained.
   */
  private async verify(ctx: Ctx, record: LedgerRecord, request: RequestInfo): Promise<string[]> {
    this.adapter.recall?.(ctx, record.steps);
    let state = await this.adapter.observe(ctx);
    const missing = this.endState(record).filter((s) => !this.kind(s).inEffect(state, s));
    if (missing.length > 0) {
      await this.applyStages(ctx, missing);
      await Promise.all(missing.map((step) => this.updateStep(record, step, 'reapplied')));
      state = await this.readBack(ctx, record, request, missing);
    }
    const gaps = this.adapter.containmentGaps?.(state, record.steps) ?? [];
    if (gaps.length > 0) {
      await this.setStatus(record, 'failed', request, `verify: ${gaps.join('; ')}`);
      throw new ContainmentError(`not contained after all steps: ${gaps.join('; ')}`, { retryable: false, code: 'not-contained' });
    }
    return missing.map((s) => s.id);
  }

  /** The steps whose effect must hold now: applied, and not superseded by a later step that restored the same value. */
  private endState(record: LedgerRecord): LedgerStep[] {
    const done = new Set(record.steps.filter((s) => DONE.has(s.status)).map((s) => s.id));
    return record.steps.filter((s) => (s.status === 'applied' || s.status === 'reapplied') && !(s.undoneBy && done.has(s.undoneBy)));
  }

  /** Applies steps again, stage by stage (the steps of one stage in parallel). */
  private async applyStages(ctx: Ctx, steps: LedgerStep[]): Promise<void> {
    for (const stage of stagesOf(steps)) {
      const batch = steps.filter((s) => s.stage === stage);
      const results = await Promise.allSettled(batch.map((step) => this.kind(step).apply(ctx, step)));
      this.throwFirstFailure(results, batch, 'apply');
    }
  }

  /** Reads the entity again after re-applying: what still shows undone fails the attempt (retried), never reported as held. */
  private async readBack(ctx: Ctx, record: LedgerRecord, request: RequestInfo, reapplied: LedgerStep[]): Promise<State> {
    const state = await this.adapter.observe(ctx);
    const still = reapplied.filter((s) => !this.kind(s).inEffect(state, s));
    if (still.length > 0) {
      const ids = still.map((s) => s.id).join(', ');
      await this.setStatus(record, 'failed', request, `verify: re-applied ${ids} but the read-back still shows them undone`);
      throw new ContainmentError(
        `not contained: re-applied ${ids}, and the read-back still shows them undone (undone again, or a stale read); retrying`,
        { retryable: true, code: 'not-contained' },
      );
    }
    return state;
  }

  private throwFirstFailure(results: PromiseSettledResult<unknown>[], steps: readonly PlannedStep[], what: 'apply' | 'undo') {
    const index = results.findIndex((r) => r.status === 'rejected');
    if (index === -1) return;
    const reason = (results[index] as PromiseRejectedResult).reason;
    const step = steps[index]!;
    const failure = reason instanceof ContainmentError ? reason.failure : classifyFailure(reason);
    const message = reason instanceof ContainmentError ? reason.message : errorMessage(reason);
    throw new ContainmentError(`${what} of step "${step.id}" (${step.description}) failed: ${message}`, failure, step.id, reason);
  }

  /** Every step fits its kind (its params parse): a corrupt or foreign plan or ledger record fails loudly, before any change. */
  private checked<T extends PlannedStep>(steps: T[]): T[] {
    for (const step of steps) this.kind(step).check?.(step);
    return steps;
  }

  private kind(step: PlannedStep) {
    const kind = this.adapter.kinds[step.kind];
    if (!kind)
      throw new ContainmentError(
        `step ${step.id} has kind "${step.kind}", which this service does not know: the plan or the ledger record is corrupt or foreign`,
        { retryable: false, code: 'corrupt-step' },
        step.id,
      );
    return kind;
  }

  private async updateStep(record: LedgerRecord, step: LedgerStep, status: StepStatus, note?: string) {
    const index = record.steps.findIndex((s) => s.id === step.id);
    const at = this.now().toISOString();
    // In memory first: a later stage may start before this write lands, and must see the step done.
    Object.assign(record.steps[index]!, { status, at, note });
    await this.ledger.updateStep(record.arn, record.cycle, index, { id: step.id, status, at, ...(note ? { note } : {}) });
  }

  private async setStatus(
    record: LedgerRecord,
    status: LedgerRecord['status'],
    request: RequestInfo,
    event: string,
    extra?: { release?: LedgerRecord['release'] },
  ) {
    const entry = { at: this.now().toISOString(), requestId: request.requestId, event };
    await this.ledger.setStatus(record.arn, record.cycle, status, entry, extra);
    record.status = status;
    record.timeline.push(entry);
    record.updatedAt = entry.at;
  }
}
