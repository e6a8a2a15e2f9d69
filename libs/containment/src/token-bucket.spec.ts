import { API_BUDGETS, budgetOf, throttledRetryDelaySeconds } from './api-budgets';
import { TokenBucket } from './token-bucket';

// AWS's token bucket, as "Request throttling for the Amazon EC2 API" describes it
// (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html): DescribeHosts has a
// bucket of 100 tokens refilled at 20 per second; 100 requests in one second empty it, after which
// 20 requests per second go through, and an empty bucket is full again after 5 seconds.
describe('the token bucket AWS throttles API requests with', () => {
  it('allows a burst of its capacity, then its refill rate', () => {
    const bucket = new TokenBucket({ capacity: 100, refillPerSecond: 20 }, 0);
    expect(Array.from({ length: 101 }, () => bucket.tryTake(0)).filter(Boolean)).toHaveLength(100);
    expect(Array.from({ length: 30 }, () => bucket.tryTake(1000)).filter(Boolean)).toHaveLength(20);
  });

  it('is full again after capacity / refill seconds without requests, and never fuller', () => {
    const bucket = new TokenBucket({ capacity: 100, refillPerSecond: 20 }, 0);
    for (let i = 0; i < 100; i += 1) bucket.tryTake(0);
    expect(bucket.waitMs(4_999)).toBe(0);
    expect(Array.from({ length: 120 }, () => bucket.tryTake(60_000)).filter(Boolean)).toHaveLength(100);
  });

  it('says how long until the next token, and a throttling answer empties it', () => {
    const bucket = new TokenBucket({ capacity: 50, refillPerSecond: 5 }, 0);
    expect(bucket.waitMs(0)).toBe(0);
    bucket.drain(0);
    expect(bucket.tryTake(0)).toBe(false);
    expect(bucket.waitMs(0)).toBe(200);
    expect(bucket.tryTake(200)).toBe(true);
  });

  it('refuses a bucket that could never give a token', () => {
    expect(() => new TokenBucket({ capacity: 0, refillPerSecond: 5 }, 0)).toThrow(/capacity of at least 1/);
    expect(() => new TokenBucket({ capacity: 5, refillPerSecond: 0 }, 0)).toThrow(/positive refill/);
  });
});

describe('the budgets lockdown paces its calls within', () => {
  it("counts only EC2's and IAM's mutating calls, and every Lambda control-plane call", () => {
    expect(budgetOf('EC2', 'DescribeInstances')).toBeUndefined();
    expect(budgetOf('EC2', 'ModifyInstanceAttribute')?.refillPerSecond).toBe(5);
    expect(budgetOf('IAM', 'GetRole')).toBeUndefined();
    expect(budgetOf('Lambda', 'GetFunction')?.refillPerSecond).toBe(15);
    expect(budgetOf('S3', 'PutBucketPolicy')).toBeUndefined();
    expect(API_BUDGETS.map((b) => b.serviceId).sort()).toEqual(['EC2', 'IAM', 'Lambda']);
  });

  it('sends a throttled message away for longer each attempt, jittered, never beyond 5 minutes', () => {
    expect([1, 2, 3].map((a) => throttledRetryDelaySeconds(a, 0.999))).toEqual([2, 4, 8]);
    expect(throttledRetryDelaySeconds(3, 0)).toBe(4);
    expect(throttledRetryDelaySeconds(20, 0.999)).toBe(300);
    expect(throttledRetryDelaySeconds(1, 0)).toBe(1);
  });
});
