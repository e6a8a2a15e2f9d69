/** A token bucket per account, region and service, as AWS enforces API rate limits. */
export interface RateLimit {
  service: string;
  /** Count only mutating calls (EC2's bucket for "mutating actions"); otherwise every call. */
  mutatingOnly: boolean;
  /** Count only these operations (a bucket of their own, e.g. CloudTrail's LookupEvents). */
  operations?: string[];
  capacity: number;
  refillPerSecond: number;
  /** The error AWS answers with when the bucket is empty. */
  error: () => Error;
}
