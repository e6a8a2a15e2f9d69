/** An AWS service error as the SDK surfaces it: name = error code, with $metadata and $fault. */
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode, requestId: `sim-${Math.random().toString(36).slice(2, 10)}`, attempts: 1, totalRetryDelay: 0 },
  });
}

/** Faults the sandbox can inject, by name, with the HTTP status AWS uses for them. */
export const FAULTS = {
  throttling: () => awsError('Throttling', 'Rate exceeded', 400),
  'request-limit': () => awsError('RequestLimitExceeded', 'Request limit exceeded.', 503),
  '5xx': () => awsError('InternalFailure', 'The request processing has failed because of an unknown error.', 500),
  timeout: () => Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ETIMEDOUT', $metadata: {} }),
  'access-denied': (service: string, operation: string) =>
    awsError(
      service === 'ec2' ? 'UnauthorizedOperation' : 'AccessDenied',
      `User: arn:aws:sts::assumed-role/lockdown-member is not authorized to perform: ${service}:${operation}`,
      403,
    ),
} as const satisfies Record<string, (service: string, operation: string) => Error>;
export type FaultName = keyof typeof FAULTS;
