export { createLambdaLockdownHandler } from './handler';
export { planLambdaContainment } from './domain/plan';
