import type { BucketShape } from './token-bucket';

/** One of AWS's buckets: an API's budget in one account and region (IAM: its partition's global region). */
export interface BudgetScope {
  accountId: string;
  region: string;
  serviceId: string;
}

/**
 * The key of a budget's item in a service's ledger table (partition key `arn`): it starts `budget|`,
 * so it never collides with an entity's record, whose key is an ARN (`arn:...`).
 */
export const budgetKeyOf = (scope: BudgetScope) => `budget|${scope.accountId}|${scope.region}|${scope.serviceId}`;

/** What reserving tokens gives: the tokens, usable after `waitMs` (and the bucket's new state), or a refusal for `waitMs`. */
export type Reservation = { granted: true; tat: number; waitMs: number } | { granted: false; waitMs: number };

/** Milliseconds per token. */
export const tokenMs = (shape: BucketShape) => 1000 / shape.refillPerSecond;

/** The latest theoretical arrival time from which `tokens` more may still be reserved within `maxWaitMs` (the store's condition). */
export const reservableUntil = (shape: BucketShape, tokens: number, now: number, maxWaitMs: number) =>
  now + shape.capacity * tokenMs(shape) + maxWaitMs - tokens * tokenMs(shape);

/** How long after `now` the last of the tokens reserved up to `tat` may be used. */
export const waitFor = (shape: BucketShape, tat: number, now: number) => Math.max(0, tat - now - shape.capacity * tokenMs(shape));

/** The theoretical arrival time of an empty bucket: AWS throttled, nothing is left until it refills. */
export const emptyAt = (shape: BucketShape, now: number) => now + shape.capacity * tokenMs(shape);

/**
 * Reserves `tokens` of a token bucket kept as one number, its theoretical arrival time `tat` (ms
 * since the epoch; GCRA, the generic cell rate algorithm): the bucket is full when `tat` is past, and
 * each token reserved moves it on by 1/refill s. The bucket AWS throttles with (capacity C, refill r)
 * lets `tokens` through at `now` once `tat + tokens/r <= now + C/r`: so they may be used after
 * that wait, and a wait beyond `maxWaitMs` reserves nothing (the budget is spent for that long).
 * Pure, one number per bucket: a conditional write keeps it shared across processes.
 */
export function reserve(shape: BucketShape, tat: number | undefined, tokens: number, now: number, maxWaitMs: number): Reservation {
  if (!(tokens >= 1 && tokens <= shape.capacity)) throw new Error(`reserve between 1 and ${shape.capacity} tokens, not ${tokens}`);
  const next = Math.max(tat ?? now, now) + tokens * tokenMs(shape);
  const waitMs = waitFor(shape, next, now);
  return waitMs > maxWaitMs ? { granted: false, waitMs } : { granted: true, tat: next, waitMs };
}

/** Where lockdown keeps its budgets' theoretical arrival times, shared by a service's concurrent invocations. */
export interface SharedBudgetStore {
  /** Reserves `tokens` at `now` (ms since the epoch), refused when they would be usable only after more than `maxWaitMs`. */
  reserve(scope: BudgetScope, shape: BucketShape, tokens: number, now: number, maxWaitMs: number): Promise<Reservation>;
  /** AWS throttled a call: the bucket is empty now for every invocation, unless it already is. */
  markEmpty(scope: BudgetScope, shape: BucketShape, now: number): Promise<void>;
}

/** The shared budgets in one process's memory (tests, a single process). */
export class InMemoryBudgetStore implements SharedBudgetStore {
  private readonly tats = new Map<string, number>();

  async reserve(scope: BudgetScope, shape: BucketShape, tokens: number, now: number, maxWaitMs: number): Promise<Reservation> {
    const reservation = reserve(shape, this.tats.get(budgetKeyOf(scope)), tokens, now, maxWaitMs);
    if (reservation.granted) this.tats.set(budgetKeyOf(scope), reservation.tat);
    return reservation;
  }

  async markEmpty(scope: BudgetScope, shape: BucketShape, now: number): Promise<void> {
    const key = budgetKeyOf(scope);
    this.tats.set(key, Math.max(this.tats.get(key) ?? now, emptyAt(shape, now)));
  }
}
