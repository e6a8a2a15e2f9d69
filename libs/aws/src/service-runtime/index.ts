export * from './service-config';
export * from './audit-of-outcome';
export * from './sqs-handler';
export * from './run-plan';
export * from './service-wiring';
export * from './service-descriptor';
export * from './own-queue';
export * from './tamper-watch';
