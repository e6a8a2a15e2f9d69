/** How an AWS error should be handled: retried (the message goes back to the queue) or not. */
export interface FailureClass {
  retryable: boolean;
  /** Stable code for audit records, e.g. `throttled`, `access-denied`, `not-found`. */
  code: string;
}

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'SlowDown',
  'EC2ThrottledException',
  // Lambda's throughput limit (IAM's quota error is `LimitExceeded`, without the suffix).
  'LimitExceededException',
]);
const TRANSIENT = new Set([
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'ServiceFailure',
  'ServiceException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ConcurrentModification',
  'ConcurrentModificationException',
  'ResourceConflictException',
  'TransactionConflictException',
]);
const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthFailure', 'UnauthorizedException']);
const NOT_FOUND = new Set(['NoSuchEntity', 'NoSuchEntityException', 'ResourceNotFoundException', 'InvalidInstanceID.NotFound', 'InvalidInstanceID.Malformed']);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/**
 * Classifies an error by its AWS error name, HTTP status and the SDK's retryable flag. What is not
 * recognised is retried: a message that keeps failing ends in the DLQ with an alarm, never lost.
 */
export function classifyFailure(error: unknown): FailureClass {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
  const name = typeof e.name === 'string' ? e.name : typeof e.code === 'string' ? e.code : '';
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  if (THROTTLING.has(name) || status === 429) return { retryable: true, code: 'throttled' };
  if (TRANSIENT.has(name) || (status !== undefined && status >= 500) || e.$retryable)
    return { retryable: true, code: 'transient' };
  if (ACCESS_DENIED.has(name)) return { retryable: false, code: 'access-denied' };
  if (NOT_FOUND.has(name)) return { retryable: false, code: 'not-found' };
  if (name === 'UnmodifiableEntity' || name === 'UnmodifiableEntityException') return { retryable: false, code: 'unmodifiable' };
  if (name === 'LimitExceeded') return { retryable: false, code: 'limit-exceeded' };
  if (name.startsWith('Invalid') || name === 'ValidationError' || name === 'ValidationException' || name === 'MalformedPolicyDocument')
    return { retryable: false, code: 'invalid' };
  return { retryable: true, code: 'unknown' };
}

/** A failure the engine reports with the step it happened at. */
export class ContainmentError extends Error {
  override readonly name = 'ContainmentError';
  constructor(
    message: string,
    readonly failure: FailureClass,
    readonly stepId?: string,
    cause?: unknown,
  ) {
    super(message, { cause });
  }
}

export const errorMessage = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);
