export { createIdentityCenterLockdownHandler } from './handler';
export { planIdentityCenterLockdown } from './domain/plan';
