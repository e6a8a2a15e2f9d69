import { AwsErrorCategory, awsErrorCategory } from './aws-errors';

/** How an AWS error should be handled: retried (the message goes back to the queue) or not. */
export interface FailureClass {
  retryable: boolean;
  /** Stable code for audit records, e.g. `throttled`, `access-denied`, `not-found`. */
  code: string;
}

const RETRYABLE: ReadonlySet<AwsErrorCategory> = new Set(['throttled', 'transient', 'conflict', 'unknown']);

/**
 * Classifies an error with the shared AWS error categories. What is not recognised is retried: a
 * message that keeps failing ends in the DLQ with an alarm, never lost.
 */
export function classifyFailure(error: unknown): FailureClass {
  const code = awsErrorCategory(error);
  return { retryable: RETRYABLE.has(code), code };
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

export const errorMessage = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
