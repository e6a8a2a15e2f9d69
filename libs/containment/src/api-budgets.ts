import { ContainmentError } from './failure';
import type { BucketShape } from './token-bucket';

/** An API whose calls AWS throttles per account and region with one token bucket. */
export interface ApiBudget extends BucketShape {
  /** The SDK's service id of its clients (`client.config.serviceId`). */
  serviceId: 'EC2' | 'Lambda' | 'IAM';
  /** Only mutating calls take a token (EC2's bucket for "mutating actions"); otherwise every call. */
  mutatingOnly: boolean;
  /** What the figure rests on. */
  source: string;
}

/** Reads (Get, List, Describe) do not count against a mutating-actions bucket. */
export const isReadOnlyOperation = (operation: string) => /^(Get|List|Describe)/.test(operation);

/**
 * The budgets lockdown paces its member-account calls within, one bucket per account and region
 * (IAM is global: one per account). The sandbox enforces the same figures in the drill and the bench.
 */
export const API_BUDGETS: readonly ApiBudget[] = [
  {
    serviceId: 'EC2',
    mutatingOnly: true,
    capacity: 50,
    refillPerSecond: 5,
    source: 'EC2 API throttling, mutating actions: bucket 50, refill 5/s (docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html)',
  },
  {
    serviceId: 'Lambda',
    mutatingOnly: false,
    capacity: 15,
    refillPerSecond: 15,
    source:
      'Lambda control plane API: 15 requests/s per account and region (docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html)',
  },
  {
    serviceId: 'IAM',
    mutatingOnly: true,
    capacity: 20,
    refillPerSecond: 20,
    source: 'chosen: IAM publishes no per-account write rate; 20/s is a conservative figure',
  },
];

/** The budget a call takes a token from, if any. */
export function budgetOf(serviceId: string, operation: string): ApiBudget | undefined {
  const budget = API_BUDGETS.find((b) => b.serviceId === serviceId);
  return budget && (!budget.mutatingOnly || !isReadOnlyOperation(operation)) ? budget : undefined;
}

/** How long a throttled request keeps coming back before it fails the usual way (retries, then the dead-letter queue and its alarm). */
export const THROTTLED_GIVE_UP_SECONDS = 30 * 60;

/**
 * Seconds before a throttled request is tried again: 2, 4, 8 ... by how many times it was throttled,
 * at most 5 minutes, jittered to between half and all of it (throttled requests do not come back together).
 */
export function throttledRetryDelaySeconds(attempt: number, random: number): number {
  const ceiling = Math.min(300, 2 * 2 ** Math.max(0, attempt - 1));
  return Math.max(1, Math.ceil(ceiling * (0.5 + random / 2)));
}

/**
 * A call that would wait longer than lockdown lets an invocation wait for its budget, or that AWS throttled: the
 * containment stops there (retryable, `throttled`) and its message comes back later, so no
 * invocation holds a concurrency slot while an account's budget refills.
 */
export class BudgetSpentError extends ContainmentError {
  constructor(
    readonly budget: string,
    readonly waitMs: number,
  ) {
    super(`${budget}: the budget is spent for ${waitMs} ms; the request will come back later`, { retryable: true, code: 'throttled' });
  }
}
