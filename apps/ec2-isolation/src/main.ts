import { createEc2IsolationHandler } from './handler';

/** Lambda entry point (SQS event source with ReportBatchItemFailures). */
export const handler = createEc2IsolationHandler();
