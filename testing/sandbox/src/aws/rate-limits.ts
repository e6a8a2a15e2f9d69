import { API_BUDGETS } from '@lockdown/containment';
import { awsError } from './errors';
import type { RateLimit } from './rate-limit';

/** How each API answers when its bucket is empty: the code and HTTP status AWS sends. */
const THROTTLE_ANSWERS: Record<string, () => Error> = {
  // https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html: "you get the RequestLimitExceeded error code"
  EC2: () => awsError('RequestLimitExceeded', 'Request limit exceeded.', 503),
  // Lambda's API reference: TooManyRequestsException, HTTP 429
  Lambda: () => awsError('TooManyRequestsException', 'Rate exceeded', 429),
  // IAM's Query API: Throttling, HTTP 400 (the SDK's ThrottlingException name for it is unmodeled: `Throttling`)
  IAM: () => awsError('Throttling', 'Rate exceeded', 400),
};

/**
 * AWS's API budgets (`API_BUDGETS`, the figures lockdown paces itself within) as the sandbox
 * enforces them: one bucket per account, region and API.
 */
export const budgetRateLimits = (): Array<RateLimit & { source: string }> =>
  API_BUDGETS.map((b) => ({
    service: b.serviceId.toLowerCase(),
    mutatingOnly: b.mutatingOnly,
    capacity: b.capacity,
    refillPerSecond: b.refillPerSecond,
    source: b.source,
    error: THROTTLE_ANSWERS[b.serviceId]!,
  }));
