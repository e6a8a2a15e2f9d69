import { TokenBucket } from './token-bucket';
import { InMemoryBudgetStore, budgetKeyOf, reservableUntil, reserve } from './shared-budget';

// The bucket AWS throttles with ("Request throttling for the Amazon EC2 API",
// https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html): mutating actions, a bucket
// of 50 refilled at 5 per second; a full bucket lets 50 requests through at once, then 5 a second.
const EC2 = { capacity: 50, refillPerSecond: 5 };
const T = 200;

describe('reserving tokens of a bucket kept as its theoretical arrival time', () => {
  it('lets a full bucket burst its capacity at once, and no more', () => {
    const burst = reserve(EC2, undefined, 50, 0, 0);
    expect(burst).toEqual({ granted: true, tat: 50 * T, waitMs: 0 });
    expect(reserve(EC2, 50 * T, 1, 0, 0)).toEqual({ granted: false, waitMs: T });
  });

  it('refills at its rate: an emptied bucket has one token after 1/refill s and is full after capacity/refill s', () => {
    expect(reserve(EC2, 50 * T, 1, T, 0)).toEqual({ granted: true, tat: 51 * T, waitMs: 0 });
    // Idle for longer than it takes to fill: never fuller than its capacity.
    expect(reserve(EC2, 50 * T, 50, 60_000, 0)).toEqual({ granted: true, tat: 60_000 + 50 * T, waitMs: 0 });
    expect(() => reserve(EC2, undefined, 51, 0, 60_000)).toThrow('reserve between 1 and 50 tokens, not 51');
  });

  it('grants tokens usable after a wait within the longest allowed, and refuses beyond it, reserving nothing', () => {
    const waiting = reserve(EC2, 50 * T, 4, 0, 1000);
    expect(waiting).toEqual({ granted: true, tat: 54 * T, waitMs: 4 * T });
    expect(reserve(EC2, 54 * T, 2, 0, 1000)).toEqual({ granted: false, waitMs: 6 * T });
  });

  it('agrees with the token bucket AWS uses, call by call, over a run of requests', () => {
    const bucket = new TokenBucket(EC2, 0);
    let tat: number | undefined;
    for (let now = 0; now < 30_000; now += 37) {
      const reservation = reserve(EC2, tat, 1, now, 0);
      expect(reservation.granted).toBe(bucket.tryTake(now));
      if (reservation.granted) tat = reservation.tat;
    }
  });

  it("names the store's condition: the latest arrival time from which tokens may still be reserved", () => {
    const limit = reservableUntil(EC2, 4, 0, 1000);
    expect(reserve(EC2, limit, 4, 0, 1000).granted).toBe(true);
    expect(reserve(EC2, limit + 1, 4, 0, 1000).granted).toBe(false);
  });

  it('keys a budget apart from every entity ARN in the ledger table', () => {
    expect(budgetKeyOf({ accountId: '111111111111', region: 'us-east-1', serviceId: 'EC2' })).toBe('budget|111111111111|us-east-1|EC2');
    expect(budgetKeyOf({ accountId: '111111111111', region: 'us-east-1', serviceId: 'EC2' }).startsWith('arn:')).toBe(false);
  });
});

describe('the shared budgets in memory', () => {
  const scope = { accountId: '111111111111', region: 'us-east-1', serviceId: 'EC2' };

  it('shares one bucket between its callers, and a throttling answer empties it for all', async () => {
    const store = new InMemoryBudgetStore();
    expect(await store.reserve(scope, EC2, 30, 0, 0)).toMatchObject({ granted: true });
    expect(await store.reserve(scope, EC2, 30, 0, 0)).toEqual({ granted: false, waitMs: 10 * T });
    expect(await store.reserve({ ...scope, region: 'eu-west-1' }, EC2, 30, 0, 0)).toMatchObject({ granted: true });
    await store.markEmpty(scope, EC2, 1000);
    expect(await store.reserve(scope, EC2, 1, 1000, 0)).toEqual({ granted: false, waitMs: T });
    expect(await store.reserve(scope, EC2, 1, 1000 + T, 0)).toMatchObject({ granted: true });
  });
});
