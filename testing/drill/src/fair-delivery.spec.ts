import { nextBatch, noisyTenants } from './fair-delivery';

// "How Amazon SQS fair queues work":
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-fair-queues-detailed.html
const messages = (tenant: string, n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ tenant, id: `${tenant}-${from + i}` }));
const tenancy = (inFlight: Record<string, number>, processing: Record<string, number> = {}) => ({
  inFlight: new Map(Object.entries(inFlight)),
  processing: new Map(Object.entries(processing)),
});

describe('fair delivery, as SQS fair queues document it', () => {
  it('calls a tenant noisy above 10% of the in-flight messages with at least 30 of them, or above 10% of recent processing time', () => {
    expect([...noisyTenants(tenancy({ flood: 40, quiet: 1 }))]).toEqual(['flood']);
    // Too few in flight for the concurrency share to count ("consumer capacity considerations").
    expect([...noisyTenants(tenancy({ flood: 20, quiet: 1 }))]).toEqual([]);
    expect([...noisyTenants(tenancy({ flood: 5 }, { flood: 950, a: 50 }))]).toEqual(['flood']);
  });

  it("delivers a quiet tenant's message before the flood's backlog that arrived first", () => {
    const available = [...messages('flood', 500), ...messages('quiet', 1)];
    const batch = nextBatch(available, 10, tenancy({ flood: 40 }), true);
    expect(batch[0]).toEqual({ tenant: 'quiet', id: 'quiet-0' });
    expect(batch.slice(1).every((m) => m.tenant === 'flood')).toBe(true);
  });

  it('serves noisy tenants when no quiet message waits, the one with the fewest in flight first, and drops nothing', () => {
    const available = [...messages('a', 20), ...messages('b', 20)];
    const batch = nextBatch(available, 10, tenancy({ a: 60, b: 50 }), true);
    // b has 10 fewer in flight: it gets the first 10 ... then they alternate.
    expect(batch.map((m) => m.tenant)).toEqual(Array(10).fill('b'));
    const next = nextBatch(available, 4, tenancy({ a: 50, b: 50 }), true);
    expect(next.map((m) => m.tenant).sort()).toEqual(['a', 'a', 'b', 'b']);
  });

  it('without fairness (no group ids), delivers oldest first: the quiet message waits behind the backlog', () => {
    const available = [...messages('flood', 500), ...messages('quiet', 1)];
    expect(nextBatch(available, 10, tenancy({ flood: 40 }), false).every((m) => m.tenant === 'flood')).toBe(true);
  });
});
