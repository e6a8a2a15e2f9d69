import { AwsErrorCategory, awsErrorCategory } from './aws-errors';
import type { LedgerStep } from './ledger';

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

/**
 * Some steps could not be applied while the others were: the message says what holds and what
 * does not, and `steps` carries the recorded steps (applied, failed with their reasons) for the audit.
 */
export class IncompleteContainmentError extends ContainmentError {
  constructor(
    message: string,
    failure: FailureClass,
    stepId: string,
    cause: unknown,
    readonly steps: LedgerStep[],
  ) {
    super(message, failure, stepId, cause);
  }
}

/**
 * A resource, policy or statement carries lockdown's name but lockdown did not make it: lockdown
 * neither trusts it nor overwrites or deletes it (an attacker who read the README may have made it first).
 */
export class ForeignNameError extends ContainmentError {
  constructor(message: string) {
    super(message, { retryable: false, code: 'foreign-name' });
  }
}

export const isForeignName = (error: unknown): error is ForeignNameError => error instanceof ForeignNameError;

export const errorMessage = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
