/** A token bucket's size and refill, as AWS publishes its API rate limits. */
export interface BucketShape {
  capacity: number;
  refillPerSecond: number;
}

/**
 * The token bucket AWS uses to throttle API requests ("Request throttling for the Amazon EC2 API":
 * a bucket of `capacity` tokens, each request takes one, `refillPerSecond` tokens come back each
 * second up to the capacity). Pure: the caller passes the time, in milliseconds.
 */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    readonly shape: BucketShape,
    now: number,
  ) {
    if (!(shape.capacity >= 1) || !(shape.refillPerSecond > 0))
      throw new Error(`a token bucket needs a capacity of at least 1 and a positive refill, not ${JSON.stringify(shape)}`);
    this.tokens = shape.capacity;
    this.at = now;
  }

  /** Takes one token if there is one (true); otherwise takes nothing (false). */
  tryTake(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until a token is available (0: one is there now). */
  waitMs(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.shape.refillPerSecond) * 1000);
  }

  /** AWS said the budget is spent (a throttling error): nothing is left until the next refill. */
  drain(now: number): void {
    this.refill(now);
    this.tokens = Math.min(this.tokens, 0);
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.at) / 1000;
    this.tokens = Math.min(this.shape.capacity, this.tokens + elapsed * this.shape.refillPerSecond);
    this.at = Math.max(this.at, now);
  }
}
