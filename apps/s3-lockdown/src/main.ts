import { createS3LockdownHandler } from './handler';

/** Lambda entry point (SQS event source with ReportBatchItemFailures). */
export const handler = createS3LockdownHandler();
