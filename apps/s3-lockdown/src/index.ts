export { createS3LockdownHandler } from './handler';
export { planS3Containment } from './domain/plan';
