import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import {
  DispatchMessage,
  DispatchMessageSchema,
  RequestScope,
  ServiceMessage,
  ServiceName,
  formatIssues,
  isOwnedBy,
  outOfScope,
  serviceFor,
} from '@lockdown/contracts';
import {
  ContainmentError,
  IncompleteContainmentError,
  Outcome,
  StillTamperedError,
  classifyFailure,
  errorMessage,
  THROTTLED_GIVE_UP_SECONDS,
  throttledRetryDelaySeconds,
} from '@lockdown/containment';
import type { AuditEvent } from '@lockdown/contracts';
import { failureEvent, outcomeEvent } from './audit-of-outcome';
import type { OwnQueue } from './own-queue';
import { nextWatchTick, quietOutcome, watchWait } from './tamper-watch';
import { SweepResult, SweepState, sweepsAfter } from '../sweep/sweep-of-containment';

/** Which delivery of its message an invocation handles (SQS's ApproximateReceiveCount; 1 = the first). */
export interface Delivery {
  attempt: number;
}

/** A service's use case: it receives only messages for the entity types the routing table gives it. */
export interface UseCase<S extends ServiceName = ServiceName> {
  (message: ServiceMessage<S>, delivery?: Delivery): Promise<Outcome>;
}

export interface SqsHandlerDeps<S extends ServiceName> {
  service: S;
  useCase: UseCase<S>;
  audit: { record(event: AuditEvent): Promise<void> };
  logger: Logger;
  /** The queue's maxReceiveCount: a failure on this attempt sends the message to the DLQ. */
  maxReceiveCount: number;
  /** The intake's scope checks, made again on receipt. */
  scope: RequestScope;
  /** The tamper watch: its schedule (seconds after containment) and the service's own queue for its ticks. */
  watch?: { schedule: readonly number[]; queue: Pick<OwnQueue, 'send'> };
  /** The persistence sweep, after a containment and on each tick of its watch. */
  sweep?: (message: DispatchMessage, state: SweepState) => Promise<SweepResult | undefined>;
  /** The service's own queue: a throttled request comes back as a new message after a backoff. */
  retryLater?: Pick<OwnQueue, 'send'>;
  now?: () => Date;
  /** The backoff's jitter, in [0, 1). */
  random?: () => number;
}

/** A record that failed; the batch reports it in `batchItemFailures` so SQS redelivers it. */
class RecordFailure extends Error {
  override readonly name = 'RecordFailure';
}

/**
 * The SQS side of every containment service: parse and check each record, run the use case,
 * audit the outcome. Failures are reported per record (partial batch response): retryable ones
 * come back after the visibility timeout, and a message that keeps failing lands in the DLQ,
 * whose alarm notifies the audit topic. An audit `failed` is sent when the failure is permanent
 * (on the first attempt) and on the last attempt before the DLQ, so a failure is never silent and
 * a retry storm does not flood the responders' mailbox.
 */
export function createSqsHandler<S extends ServiceName>(deps: SqsHandlerDeps<S>) {
  const clock = () => deps.now?.() ?? new Date();
  const now = () => clock().toISOString();

  const processRecord = async (record: SQSRecord, logger: Logger): Promise<void> => {
    const attempt = Number(record.attributes?.ApproximateReceiveCount ?? '1');
    const lastAttempt = attempt >= deps.maxReceiveCount;
    const parsed = parse(record.body);
    if (!parsed.ok) {
      if (attempt === 1 || lastAttempt)
        await deps.audit.record(failureEvent(deps.service, undefined, record.messageId, parsed.reason, 'invalid-message', now()));
      throw new RecordFailure(parsed.reason);
    }
    const message = parsed.message;
    const log = logger.createChild({
      persistentKeys: { requestId: message.requestId, entity: message.entity.arn, action: message.action },
    });
    // The routing check: the one place an entity is narrowed to the types this service contains.
    const entity = message.entity;
    if (!isOwnedBy(entity, deps.service)) {
      const reason = `${entity.type} belongs to ${serviceFor(entity.type)}, not ${deps.service}: check the subscription filter policy`;
      if (attempt === 1 || lastAttempt)
        await deps.audit.record(failureEvent(deps.service, message, message.requestId, reason, 'misrouted', now()));
      throw new RecordFailure(reason);
    }
    const owned: ServiceMessage<S> = { ...message, entity };
    // Only the intake may publish to the dispatch topic, and it refuses these: a message that did not
    // come through it is refused here too, audited (the FAILED alarm fires) and consumed, not retried.
    const refusal = outOfScope(message.entity, deps.scope);
    if (refusal) {
      const reason = `refused on receipt: ${refusal.reason}; the intake refuses such requests, so this message did not come through it`;
      log.error('refused on receipt', { code: refusal.code });
      await deps.audit.record(failureEvent(deps.service, message, message.requestId, reason, 'refused-on-receipt', now()));
      return;
    }
    // A watch tick that arrived early (its wait was longer than SQS's longest delay) waits again.
    const wait = deps.watch ? watchWait(message, clock()) : 0;
    if (wait > 0) {
      await deps.watch!.queue.send(message, wait);
      log.info('tamper watch tick not due yet: sent again', { tick: message.watch?.tick, dueAt: message.watch?.dueAt });
      return;
    }
    let outcome: Outcome;
    try {
      outcome = await deps.useCase(owned, { attempt });
    } catch (error) {
      const failure = error instanceof ContainmentError ? error.failure : classifyFailure(error);
      const where = error instanceof ContainmentError ? '' : `${message.action} failed: `;
      const next = lastAttempt
        ? `moved to the dead-letter queue after ${attempt} attempts`
        : failure.retryable
          ? `attempt ${attempt} of ${deps.maxReceiveCount}; will be retried`
          : `not retryable; it will reach the dead-letter queue`;
      const detail = `${where}${errorMessage(error)} (${next})`;
      log.error('record failed', { failure, attempt, error: errorMessage(error) });
      if (error instanceof StillTamperedError) await deps.audit.record(outcomeEvent(deps.service, message, error.report, now()));
      // Throttled: the account's budget is spent, perhaps on purpose by an attacker's second principal.
      // The record leaves this invocation at once and a copy (counting its throttles) comes back after a
      // backoff (the ledger resumes where it stopped): no invocation waits it out, and as a new message its
      // receive count starts over, so throttling alone never dead-letters a containment; after 30 minutes
      // it fails as usual. A watch tick too (an attacker who keeps the budget spent must not end the
      // watch), its 30 minutes counted from when it was due.
      const age = (clock().getTime() - Date.parse(message.watch?.dueAt ?? message.requestedAt)) / 1000;
      if (failure.code === 'throttled' && failure.retryable && deps.retryLater && age < THROTTLED_GIVE_UP_SECONDS) {
        const throttled = (message.throttled ?? 0) + 1;
        await deps.retryLater.send({ ...message, throttled }, throttledRetryDelaySeconds(throttled, (deps.random ?? Math.random)()));
        log.warn('throttled: sent back to the queue for a backoff', { throttled, ageSeconds: Math.round(age) });
        return;
      }
      // Audited once: when the failure is permanent (first attempt) or on the last attempt before the DLQ.
      const final = (!failure.retryable && attempt === 1) || lastAttempt;
      if (final)
        await deps.audit.record(
          failureEvent(
            deps.service,
            message,
            message.requestId,
            detail,
            failure.code,
            now(),
            // What holds and what does not, step by step, when some steps were applied and others failed.
            error instanceof IncompleteContainmentError ? error.steps : [],
          ),
        );
      // A containment that finally failed leaves the identity live: what it left matters most.
      if (final && deps.sweep && message.action === 'contain' && !message.dryRun && !message.watch) await sweep(message, log);
      throw new RecordFailure(detail);
    }
    if (quietOutcome(message, outcome)) log.info(outcome.detail, { outcome: outcome.kind, tick: message.watch?.tick });
    else await deps.audit.record(outcomeEvent(deps.service, message, outcome, now()));
    const swept = deps.sweep && sweepsAfter(message, outcome, deps.watch !== undefined) ? await sweep(message, log) : sweepStateOf(message);
    const next = deps.watch && nextWatchTick(message, outcome, deps.watch.schedule, clock(), swept);
    if (next) await deps.watch!.queue.send(next.message, next.delaySeconds);
  };

  /**
   * Runs the sweep and audits what it found. Its failure does not undo or repeat the containment:
   * it is audited FAILED (the alarm counts it) and the watch's next tick sweeps again.
   */
  const sweep = async (message: DispatchMessage, log: Logger): Promise<SweepState> => {
    const state = sweepStateOf(message);
    try {
      const result = await deps.sweep!(message, state);
      if (result?.event) await deps.audit.record(result.event);
      return result ?? state;
    } catch (error) {
      log.error('sweep failed', { error: errorMessage(error) });
      const detail = `the persistence sweep failed: ${errorMessage(error)}; the tamper watch's next tick sweeps again`;
      await deps.audit.record(failureEvent(deps.service, message, message.requestId, detail, 'sweep-failed', now()));
      return state;
    }
  };

  // One processor per invocation: a processor keeps the batch's failures in its own state, so a
  // shared one lets concurrent invocations (the local pollers) reset each other's and lose them.
  // Every log line carries the invocation's context (Lambda request id, function) and the lockdown request id.
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const logger = deps.logger.createChild();
    logger.addContext(context);
    return processPartialResponse(event, (record: SQSRecord) => processRecord(record, logger), new BatchProcessor(EventType.SQS), {
      context,
      throwOnFullBatchFailure: false,
    });
  };
}

/** What the earlier sweeps of a watched containment carried on its watch message. */
const sweepStateOf = (message: DispatchMessage): SweepState => ({
  reported: message.watch?.swept ?? [],
  progress: message.watch?.sweepProgress ?? [],
});

type Parsed = { ok: true; message: DispatchMessage } | { ok: false; reason: string };

function parse(body: string): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'the message body is not JSON' };
  }
  const result = DispatchMessageSchema.safeParse(json);
  if (result.success) return { ok: true, message: result.data };
  return { ok: false, reason: `invalid dispatch message: ${formatIssues(result.error, { limit: 1, root: 'body' })}` };
}
