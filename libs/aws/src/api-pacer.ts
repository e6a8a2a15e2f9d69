import { ApiBudget, TokenBucket, awsErrorCategory, awsErrorName, budgetOf, BudgetSpentError } from '@lockdown/containment';

export interface ApiPacerOptions {
  /**
   * This invocation's share of each budget's refill: 1 / the event source's maximumConcurrency, so
   * the service's concurrent invocations together stay within the account's rate (each may burst).
   */
  share?: number;
  /** The longest an invocation waits for a token; beyond, the call fails with BudgetSpentError. */
  maxWaitMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** An SDK client: its config and middleware stack (typed per client with its own input and output unions). */
interface Pacable {
  config: { serviceId?: string; region: () => Promise<string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- every client's stack has its own generic types
  middlewareStack: { add: (...args: any[]) => void };
}

/**
 * Paces calls to member accounts within AWS's budgets (`API_BUDGETS`): one token bucket per
 * account, region and API, kept by this container (a Lambda container runs one invocation at a
 * time, so it refills at 1/maximumConcurrency of each budget's rate, bursting to its whole bucket). A throttling answer empties the bucket
 * and fails the call at once (BudgetSpentError, no SDK backoff inside the invocation), as does a wait beyond
 * `maxWaitMs`: the message comes back later instead, and no invocation holds its slot while a budget refills.
 */
export class ApiPacer {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly share: number;
  private readonly maxWaitMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: ApiPacerOptions = {}) {
    this.share = options.share ?? 1;
    if (!(this.share > 0 && this.share <= 1)) throw new Error(`a pacing share is in (0, 1], not ${this.share}`);
    this.maxWaitMs = options.maxWaitMs ?? 1000;
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Waits for a token of this account and region's budget for the call (none needed: at once). */
  async take(accountId: string, region: string, serviceId: string, operation: string): Promise<void> {
    const budget = budgetOf(serviceId, operation);
    if (!budget) return;
    const bucket = this.bucket(accountId, region, budget);
    for (;;) {
      const wait = bucket.waitMs(this.now());
      if (wait > this.maxWaitMs) throw new BudgetSpentError(`${budget.serviceId} in ${accountId} ${region}`, wait);
      if (wait === 0 && bucket.tryTake(this.now())) return;
      await this.sleep(Math.max(wait, 1));
    }
  }

  /** AWS throttled a call: this container's bucket for that budget is empty until it refills (returns how long; none: not a budgeted call). */
  throttled(accountId: string, region: string, serviceId: string, operation: string): number | undefined {
    const budget = budgetOf(serviceId, operation);
    if (!budget) return undefined;
    const bucket = this.bucket(accountId, region, budget);
    bucket.drain(this.now());
    return bucket.waitMs(this.now());
  }

  /** Adds the pacing to a member-account client (every attempt, after the SDK's retry step). */
  pace<C extends Pacable>(client: C, accountId: string): C {
    const serviceId = client.config.serviceId ?? '';
    client.middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        const region = await client.config.region();
        await this.take(accountId, region, serviceId, operation);
        try {
          return await next(args);
        } catch (error) {
          if (awsErrorCategory(error) !== 'throttled') throw error;
          const waitMs = this.throttled(accountId, region, serviceId, operation);
          // A budgeted call AWS throttled ends here, not after the SDK's backoff: the invocation frees its slot
          // and the request comes back later (the message carries how often it was throttled).
          // Named, not chained as its cause: the SDK retries an error whose cause it calls transient (EC2 throttles with HTTP 503).
          if (waitMs === undefined) throw error;
          throw new BudgetSpentError(`${serviceId} in ${accountId} ${region} (${operation} answered ${awsErrorName(error)})`, waitMs);
        }
      },
      { step: 'finalizeRequest', priority: 'low', name: 'lockdownApiPacer', override: true },
    );
    return client;
  }

  private bucket(accountId: string, region: string, budget: ApiBudget): TokenBucket {
    const key = `${accountId}|${region}|${budget.serviceId}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      // The whole burst (a lone containment never waits), refilled at this invocation's share.
      const shape = { capacity: budget.capacity, refillPerSecond: budget.refillPerSecond * this.share };
      bucket = new TokenBucket(shape, this.now());
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}
