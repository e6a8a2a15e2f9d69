import { classifyFailure } from './failure';

const error = (name: string, httpStatusCode?: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode } });

describe('classifyFailure', () => {
  it.each([
    ['Throttling', 400, 'throttled'],
    ['RequestLimitExceeded', 503, 'throttled'],
    ['TooManyRequestsException', 429, 'throttled'],
    ['ConcurrentModificationException', 409, 'conflict'],
    ['InternalFailure', 500, 'transient'],
    ['ServiceUnavailable', 503, 'transient'],
    ['SomethingNew', 502, 'transient'],
    ['TimeoutError', undefined, 'transient'],
    ['SomethingNew', 400, 'unknown'],
  ])('retries %s (%s)', (name, status, code) => {
    expect(classifyFailure(error(name, status))).toEqual({ retryable: true, code });
  });

  it.each([
    ['AccessDenied', 403, 'access-denied'],
    ['UnauthorizedOperation', 403, 'access-denied'],
    ['NoSuchEntityException', 404, 'not-found'],
    ['ResourceNotFoundException', 404, 'not-found'],
    ['InvalidInstanceID.NotFound', 400, 'not-found'],
    ['UnmodifiableEntityException', 400, 'unmodifiable'],
    ['LimitExceededException', 409, 'limit-exceeded'],
    ['InvalidGroup.NotFound', 400, 'invalid'],
    ['InvalidParameterValue', 400, 'invalid'],
  ])('does not retry %s (%s)', (name, status, code) => {
    expect(classifyFailure(error(name, status))).toEqual({ retryable: false, code });
  });

  it('retries what it cannot recognise, so nothing is dropped', () => {
    expect(classifyFailure('boom').retryable).toBe(true);
    expect(classifyFailure(undefined).retryable).toBe(true);
  });
});
