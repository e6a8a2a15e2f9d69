import { createIdentityCenterLockdownHandler } from './handler';

/** Lambda entry point (SQS event source with ReportBatchItemFailures). */
export const handler = createIdentityCenterLockdownHandler();
