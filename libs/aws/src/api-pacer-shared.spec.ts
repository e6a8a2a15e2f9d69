import { ContainmentError, InMemoryBudgetStore, SharedBudgetStore, TokenBucket } from '@lockdown/containment';
import { ApiPacer } from './api-pacer';

/** Pacers (one per container) sharing one store and one clock, which moves only when a pacer sleeps. */
function containers(count: number, concurrency: number, store: SharedBudgetStore = new InMemoryBudgetStore()) {
  const clock = { now: 1_000_000 };
  const pacers = Array.from(
    { length: count },
    () =>
      new ApiPacer({
        concurrency,
        store,
        now: () => clock.now,
        sleep: async (ms) => {
          clock.now += ms;
        },
      }),
  );
  return { pacers, clock };
}

/** An in-memory store that records each reservation: how many tokens, and when. */
function countingStore() {
  const store = new InMemoryBudgetStore();
  const reserved: number[] = [];
  const reservedAt: number[] = [];
  const counting: SharedBudgetStore = {
    reserve: (scope, shape, tokens, now, maxWaitMs) => {
      reserved.push(tokens);
      reservedAt.push(now);
      return store.reserve(scope, shape, tokens, now, maxWaitMs);
    },
    markEmpty: (scope, shape, now) => store.markEmpty(scope, shape, now),
  };
  return { store, counting, reserved, reservedAt };
}

const ACCOUNT = '111111111111';
// IAM publishes no write rate; lockdown's budget is 20 writes/s with a burst of 20 (API_BUDGETS).
const iamWrite = (pacer: ApiPacer) => pacer.take(ACCOUNT, 'us-east-1', 'IAM', 'AttachUserPolicy');

describe("pacing through a budget shared by the service's concurrent invocations", () => {
  it('gives a lone invocation the whole rate at a high maximumConcurrency (its own share would be 20/260 writes/s)', async () => {
    const { pacers, clock } = containers(1, 260);
    const start = clock.now;
    for (let i = 0; i < 40; i += 1) await iamWrite(pacers[0]!);
    // The burst of 20 at once, then 20/s: 40 writes in a second (alone, 1/260 of the rate refused the 21st).
    expect(clock.now - start).toBe(1000);
  });

  it('keeps the bursts of several containers within one bucket, as AWS counts them', async () => {
    const { pacers, clock } = containers(5, 5);
    const start = clock.now;
    const aws = new TokenBucket({ capacity: 20, refillPerSecond: 20 }, start);
    for (const pacer of pacers)
      for (let i = 0; i < 20; i += 1) {
        await iamWrite(pacer);
        expect(aws.tryTake(clock.now)).toBe(true);
      }
    // Each container's own burst of 20 would have made AWS throttle 80 of these 100 calls; here the
    // 80 beyond the burst take 4 s at 20/s (and a little more: what a container leased and left is lost).
    expect(clock.now - start).toBeGreaterThanOrEqual(4000);
    expect(clock.now - start).toBeLessThan(5000);
  });

  it('leases 1, 2, 4 ... tokens while the container spends them, at most ceil(capacity / concurrency)', async () => {
    const { counting, reserved } = countingStore();
    const { pacers } = containers(1, 3, counting);
    for (let i = 0; i < 21; i += 1) await iamWrite(pacers[0]!);
    expect(reserved).toEqual([1, 2, 4, 7, 7]);
    const { pacers: alone, clock } = containers(1, 1, counting);
    for (let i = 0; i < 20; i += 1) {
      await iamWrite(alone[0]!);
      clock.now += 50;
    }
    expect(reserved.slice(5)).toEqual([1, 2, 4, 8, 16]);
  });

  it('leases the one token a call needs when the bucket is too low for a larger lease', async () => {
    const { store, counting, reserved } = countingStore();
    const { pacers, clock } = containers(1, 1, counting);
    for (let i = 0; i < 7; i += 1) await iamWrite(pacers[0]!);
    // Another container leases 26 more: this one's next lease of 8 would come 1.35 s from now, beyond the
    // second a call may wait; its one token comes after 700 ms.
    const iam = { accountId: ACCOUNT, region: 'us-east-1', serviceId: 'IAM' };
    for (const tokens of [20, 6]) await store.reserve(iam, { capacity: 20, refillPerSecond: 20 }, tokens, clock.now, 10_000);
    const before = clock.now;

    await iamWrite(pacers[0]!);

    expect(reserved.slice(3)).toEqual([8, 1]);
    expect(clock.now - before).toBe(700);
  });

  it('starts small again when a lease goes stale with tokens unspent (a containment needs few; the rest is lost to all)', async () => {
    const { counting, reserved } = countingStore();
    const { pacers, clock } = containers(1, 1, counting);
    for (let i = 0; i < 4; i += 1) await iamWrite(pacers[0]!);
    clock.now += 5000;
    await iamWrite(pacers[0]!);
    expect(reserved).toEqual([1, 2, 4, 1]);
  });

  it('drops leased tokens a second after they became usable, and leases afresh', async () => {
    const { counting, reservedAt: reserved } = countingStore();
    const { pacers, clock } = containers(1, 4, counting);
    await iamWrite(pacers[0]!);
    clock.now += 1001;
    await iamWrite(pacers[0]!);
    expect(reserved).toHaveLength(2);
  });

  it('spends a lease that arrives late (a slow store, e.g. DynamoDB retrying) instead of leasing again without end', async () => {
    const store = new InMemoryBudgetStore();
    let reservations = 0;
    const { pacers, clock } = containers(1, 4, {
      // Each answer takes 1.5 s: longer than a lease's lifetime after it became usable.
      reserve: async (scope, shape, tokens, now, maxWaitMs) => {
        reservations += 1;
        if (reservations > 5) throw new Error('leasing without end');
        const reservation = await store.reserve(scope, shape, tokens, now, maxWaitMs);
        clock.now += 1500;
        return reservation;
      },
      markEmpty: (scope, shape, now) => store.markEmpty(scope, shape, now),
    });
    await iamWrite(pacers[0]!);
    expect(reservations).toBe(1);
  });

  it('shares a throttling answer: the call fails retryably at once, and the other containers back off too', async () => {
    const { pacers, clock } = containers(2, 2);
    let middleware: any;
    pacers[0]!.pace(
      { config: { serviceId: 'IAM', region: async () => 'us-east-1' }, middlewareStack: { add: (m: unknown) => (middleware = m) } },
      ACCOUNT,
    );
    const throttle = Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });

    const sent = middleware(async () => Promise.reject(throttle), { commandName: 'AttachUserPolicyCommand' })({});

    await expect(sent).rejects.toMatchObject({ failure: { retryable: true, code: 'throttled' }, waitMs: 50 });
    const before = clock.now;
    await iamWrite(pacers[1]!);
    // The bucket is empty for every container: the other one's first token comes after 50 ms of refill.
    expect(clock.now - before).toBe(50);
  });

  it("leases a client's first token as the client is built, so its first call waits no round trip to the store", async () => {
    const { counting, reserved } = countingStore();
    const { pacers } = containers(1, 5, counting);
    let middleware: any;

    pacers[0]!.pace(
      { config: { serviceId: 'IAM', region: async () => 'us-east-1' }, middlewareStack: { add: (m: unknown) => (middleware = m) } },
      ACCOUNT,
    );
    await new Promise((resolve) => setImmediate(resolve));

    expect(reserved).toEqual([1]);
    expect(await middleware(async () => 'tagged', { commandName: 'TagUserCommand' })({})).toBe('tagged');
    expect(reserved).toEqual([1]);
  });

  it('ends a throttled call as throttled even when the shared bucket cannot be marked empty, saying so', async () => {
    const store = new InMemoryBudgetStore();
    const failing: SharedBudgetStore = {
      reserve: (...args) => store.reserve(...args),
      markEmpty: async () => Promise.reject(Object.assign(new Error('Internal server error'), { name: 'InternalServerError' })),
    };
    const { pacers } = containers(1, 2, failing);
    let middleware: any;
    pacers[0]!.pace(
      { config: { serviceId: 'IAM', region: async () => 'us-east-1' }, middlewareStack: { add: (m: unknown) => (middleware = m) } },
      ACCOUNT,
    );
    const throttle = Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });

    const sent = middleware(async () => Promise.reject(throttle), { commandName: 'AttachUserPolicyCommand' })({});

    await expect(sent).rejects.toMatchObject({
      failure: { retryable: true, code: 'throttled' },
      message: expect.stringContaining('answered Throttling; the shared budget could not be marked empty: InternalServerError'),
    });
  });

  it('fails the attempt retryably when the store fails, without a cause the SDK would retry inside the invocation', async () => {
    const unavailable = Object.assign(new Error('Internal server error'), {
      name: 'InternalServerError',
      $metadata: { httpStatusCode: 500 },
    });
    const broken: SharedBudgetStore = { reserve: async () => Promise.reject(unavailable), markEmpty: async () => undefined };
    const { pacers } = containers(1, 2, broken);

    const taken = iamWrite(pacers[0]!);

    await expect(taken).rejects.toBeInstanceOf(ContainmentError);
    await expect(taken).rejects.toMatchObject({ failure: { retryable: true, code: 'transient' }, cause: undefined });
    await expect(taken).rejects.toThrow(
      'IAM in 111111111111 us-east-1: the shared budget could not be read (InternalServerError: Internal server error)',
    );
    // DynamoDB throttling the item: as a spent budget, the request comes back after a backoff.
    const hot = Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' });
    const { pacers: throttledStore } = containers(1, 2, { reserve: async () => Promise.reject(hot), markEmpty: async () => undefined });
    await expect(iamWrite(throttledStore[0]!)).rejects.toMatchObject({ failure: { retryable: true, code: 'throttled' } });
  });
});
