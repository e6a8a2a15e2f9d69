import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { DispatchMessage } from '@lockdown/contracts';
import type { FaultName } from './aws';
import { sqsEvent, sqsRecord } from './messages';

export const FAULT_NAMES: FaultName[] = ['throttling', '5xx', 'timeout', 'access-denied'];
/** Faults that go away on their own (the fault matrix injects them once); the rest persist until cleared. */
export const TRANSIENT_FAULTS: ReadonlySet<FaultName> = new Set(['throttling', '5xx', 'timeout', 'request-limit']);

export interface Settled {
  /** Attempts made (ApproximateReceiveCount of the last one). */
  attempts: number;
  /** `done` when an attempt succeeded; `dead-letter` when the last allowed attempt failed too. */
  outcome: 'done' | 'dead-letter';
}

/**
 * Delivers one message the way SQS and Lambda's event source do: a failed record comes back
 * with a higher receive count, and after maxReceiveCount failures it is in the DLQ.
 */
export async function deliverUntilSettled(
  invoke: (event: SQSEvent) => Promise<SQSBatchResponse>,
  message: DispatchMessage,
  maxReceiveCount = 5,
): Promise<Settled> {
  for (let attempt = 1; attempt <= maxReceiveCount; attempt += 1) {
    const result = await invoke(sqsEvent(sqsRecord(message, attempt, `msg-${message.requestId}-${message.phase ?? 1}`)));
    if (result.batchItemFailures.length === 0) return { attempts: attempt, outcome: 'done' };
  }
  return { attempts: maxReceiveCount, outcome: 'dead-letter' };
}
