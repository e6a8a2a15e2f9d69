import {
  API_BUDGETS,
  ApiBudget,
  BudgetScope,
  BudgetSpentError,
  ContainmentError,
  SharedBudgetStore,
  TokenBucket,
  awsErrorCategory,
  awsErrorName,
  budgetKeyOf,
  budgetOf,
  errorMessage,
  tokenMs,
} from '@lockdown/containment';

export interface ApiPacerOptions {
  /**
   * The event source's maximumConcurrency: how many containers (one invocation at a time each) pace
   * the same accounts. Alone, each refills at 1/concurrency of each budget's rate (each may burst);
   * with a shared `store`, each leases ceil(capacity / concurrency) tokens at a time.
   */
  concurrency?: number;
  /** The budgets shared by the service's concurrent invocations (its ledger table); without it, each container keeps its own share. */
  store?: SharedBudgetStore;
  /** The longest an invocation waits for a token; beyond, the call fails with BudgetSpentError. */
  maxWaitMs?: number;
  /** Milliseconds since the epoch (a shared budget's clock is every container's). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Leased tokens not spent within this long after they became usable are dropped: spent late, they could overshoot AWS's bucket by what is outstanding. */
export const LEASE_LIFETIME_MS = 1000;

/** Tokens this container reserved from a shared budget (`size` of them), usable from `usableAt`; the store answered at `arrivedAt`. */
interface Lease {
  size: number;
  tokens: number;
  usableAt: number;
  arrivedAt: number;
}

/** An SDK client: its config and middleware stack (typed per client with its own input and output unions). */
interface Pacable {
  config: { serviceId?: string; region: () => Promise<string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- every client's stack has its own generic types
  middlewareStack: { add: (...args: any[]) => void };
}

/**
 * Paces calls to member accounts within AWS's budgets (`API_BUDGETS`), one bucket per account,
 * region and API. With a shared store (the service's ledger table), the service's concurrent
 * invocations draw on one bucket, as AWS counts: each container leases a few tokens at a time and
 * spends them. Without one, each container keeps its own bucket, refilled at 1/concurrency of the
 * rate (a Lambda container runs one invocation at a time) and bursting to the whole. A throttling
 * answer empties the bucket (the shared one for every container) and fails the call at once
 * (BudgetSpentError, no SDK backoff inside the invocation), as does a wait beyond `maxWaitMs`: the
 * message comes back later instead, and no invocation holds its slot while a budget refills.
 */
export class ApiPacer {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly leases = new Map<string, Lease>();
  /** A lease being reserved, which this container's concurrent calls for that budget share. */
  private readonly leasing = new Map<string, Promise<Lease>>();
  /** The size of this container's next lease per budget: 1, doubled each time a lease is spent, back to 1 when one goes stale. */
  private readonly leaseSizes = new Map<string, number>();
  private readonly concurrency: number;
  private readonly maxWaitMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ApiPacerOptions = {}) {
    this.concurrency = options.concurrency ?? 1;
    if (!(Number.isInteger(this.concurrency) && this.concurrency >= 1))
      throw new Error(`a pacing concurrency is a whole number of at least 1, not ${this.concurrency}`);
    this.maxWaitMs = options.maxWaitMs ?? 1000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Waits for a token of this account and region's budget for the call (none needed: at once). */
  async take(accountId: string, region: string, serviceId: string, operation: string): Promise<void> {
    const budget = budgetOf(serviceId, operation);
    if (!budget) return;
    const scope = { accountId, region, serviceId: budget.serviceId };
    if (this.options.store) return this.spendLeased(scope, budget, this.options.store);
    const bucket = this.bucket(scope, budget);
    for (;;) {
      const wait = bucket.waitMs(this.now());
      if (wait > this.maxWaitMs) throw new BudgetSpentError(budgetName(scope), wait);
      if (wait === 0 && bucket.tryTake(this.now())) return;
      await this.sleep(Math.max(wait, 1));
    }
  }

  /**
   * AWS throttled a call: that budget's bucket is empty until it refills, this container's and the
   * shared one (every container backs off). Returns how long until its next token (none: not a budgeted call).
   */
  async throttled(accountId: string, region: string, serviceId: string, operation: string): Promise<number | undefined> {
    const budget = budgetOf(serviceId, operation);
    if (!budget) return undefined;
    const scope = { accountId, region, serviceId: budget.serviceId };
    if (this.options.store) {
      this.leases.delete(budgetKeyOf(scope));
      this.leaseSizes.delete(budgetKeyOf(scope));
      await this.options.store.markEmpty(scope, budget, this.now());
      return tokenMs(budget);
    }
    const bucket = this.bucket(scope, budget);
    bucket.drain(this.now());
    return bucket.waitMs(this.now());
  }

  /** Adds the pacing to a member-account client (every attempt, after the SDK's retry step). */
  pace<C extends Pacable>(client: C, accountId: string): C {
    const serviceId = client.config.serviceId ?? '';
    if (this.options.store) this.leaseAhead(client, accountId, serviceId, this.options.store).catch(() => undefined);
    client.middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        const region = await client.config.region();
        await this.take(accountId, region, serviceId, operation);
        try {
          return await next(args);
        } catch (error) {
          if (awsErrorCategory(error) !== 'throttled') throw error;
          let waitMs: number | undefined;
          let unmarked = '';
          try {
            waitMs = await this.throttled(accountId, region, serviceId, operation);
          } catch (failure) {
            // The attempt ends throttled all the same (this container dropped its lease); the others hear it from AWS.
            waitMs = tokenMs(budgetOf(serviceId, operation)!);
            unmarked = `; the shared budget could not be marked empty: ${errorMessage(failure)}`;
          }
          // A budgeted call AWS throttled ends here, not after the SDK's backoff: the invocation frees its slot
          // and the request comes back later (the message carries how often it was throttled).
          // Named, not chained as its cause: the SDK retries an error whose cause it calls transient (EC2 throttles with HTTP 503).
          if (waitMs === undefined) throw error;
          throw new BudgetSpentError(
            `${serviceId} in ${accountId} ${region} (${operation} answered ${awsErrorName(error)}${unmarked})`,
            waitMs,
          );
        }
      },
      { step: 'finalizeRequest', priority: 'low', name: 'lockdownApiPacer', override: true },
    );
    return client;
  }

  /** Spends a token leased from the shared budget, leasing more when this container has none left (or only stale ones). */
  private async spendLeased(scope: BudgetScope, budget: ApiBudget, store: SharedBudgetStore): Promise<void> {
    const key = budgetKeyOf(scope);
    for (;;) {
      const lease = this.leases.get(key);
      const fresh = lease !== undefined && this.isFresh(lease);
      if (lease && fresh && lease.tokens >= 1) {
        lease.tokens -= 1;
        // Spent within its lifetime: this container's demand fills a lease, the next one is twice as large.
        if (lease.tokens < 1) this.leaseSizes.set(key, Math.min(this.largestLease(budget), lease.size * 2));
        const wait = lease.usableAt - this.now();
        if (wait > 0) await this.sleep(wait);
        return;
      }
      // Tokens left unspent: the demand was smaller than the lease (they are lost), the next one starts small.
      if (lease && !fresh && lease.tokens >= 1) this.leaseSizes.set(key, 1);
      await (this.leasing.get(key) ?? this.startLease(scope, budget, store));
    }
  }

  /** Leases this container's next tokens of a budget; its concurrent calls for that budget wait for the same lease. */
  private startLease(scope: BudgetScope, budget: ApiBudget, store: SharedBudgetStore): Promise<Lease> {
    const key = budgetKeyOf(scope);
    const leasing = this.lease(scope, budget, store, this.leaseSizes.get(key) ?? 1)
      .then((lease) => (this.leases.set(key, lease), lease))
      .finally(() => this.leasing.delete(key));
    this.leasing.set(key, leasing);
    return leasing;
  }

  /**
   * Leases a client's first token while its first call assumes the member role, so the first effect
   * waits no DynamoDB round trip. Its failure is the first call's (it waits for this lease); if no
   * call comes, the token is lost and the failure with it.
   */
  private async leaseAhead(client: Pacable, accountId: string, serviceId: string, store: SharedBudgetStore): Promise<void> {
    const budget = API_BUDGETS.find((b) => b.serviceId === serviceId);
    if (!budget) return;
    const scope = { accountId, region: await client.config.region(), serviceId };
    const key = budgetKeyOf(scope);
    const lease = this.leases.get(key);
    if (!(lease && lease.tokens >= 1 && this.isFresh(lease)) && !this.leasing.has(key)) await this.startLease(scope, budget, store);
  }

  /**
   * Spendable: within its lifetime of when it became usable, or of when the store answered if that was
   * later (a slow round trip must not make every lease stale on arrival, leasing again without end).
   */
  private isFresh(lease: Lease): boolean {
    return this.now() <= Math.max(lease.usableAt, lease.arrivedAt) + LEASE_LIFETIME_MS;
  }

  /**
   * At most ceil(capacity / concurrency) tokens per lease: together the containers lease about one
   * bucket's worth. A lease starts at one token and doubles while the container spends its leases
   * (slow start): a containment's few calls reserve about what they use, since unspent tokens are
   * lost to every container.
   */
  private largestLease(budget: ApiBudget): number {
    return Math.min(budget.capacity, Math.ceil(budget.capacity / this.concurrency));
  }

  /**
   * Reserves `size` tokens of the shared budget (refused: one, since the call needs only that). A
   * store that fails (DynamoDB unavailable) fails the attempt retryably: the message comes back, the
   * ledger resumes where it stopped.
   */
  private async lease(scope: BudgetScope, budget: ApiBudget, store: SharedBudgetStore, size: number): Promise<Lease> {
    const tokens = Math.min(size, this.largestLease(budget));
    const now = this.now();
    const reservation = await store.reserve(scope, budget, tokens, now, this.maxWaitMs).catch((error: unknown) => {
      // Not chained as its cause: the member client's SDK would retry an error whose cause it calls transient.
      throw new ContainmentError(`${budgetName(scope)}: the shared budget could not be read (${errorMessage(error)})`, {
        retryable: true,
        code: awsErrorCategory(error) === 'throttled' ? 'throttled' : 'transient',
      });
    });
    if (!reservation.granted) {
      // A call needs one token: a bucket too low for the lease may still have it within the wait.
      this.leaseSizes.set(budgetKeyOf(scope), 1);
      if (tokens > 1) return this.lease(scope, budget, store, 1);
      throw new BudgetSpentError(budgetName(scope), reservation.waitMs);
    }
    return { size: tokens, tokens, usableAt: now + reservation.waitMs, arrivedAt: this.now() };
  }

  private bucket(scope: BudgetScope, budget: ApiBudget): TokenBucket {
    const key = budgetKeyOf(scope);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      // The whole burst (a lone containment never waits), refilled at this container's share.
      const shape = { capacity: budget.capacity, refillPerSecond: budget.refillPerSecond / this.concurrency };
      bucket = new TokenBucket(shape, this.now());
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}

const budgetName = (scope: BudgetScope) => `${scope.serviceId} in ${scope.accountId} ${scope.region}`;
