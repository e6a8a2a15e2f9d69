export { createLambdaLockdownHandler } from './handler';
export { planLambdaContainment } from './domain/plan';
export type { ObservedFunction } from './domain/observed';
