export { createIdentityCenterLockdownHandler } from './handler';
export { planIdentityCenterContainment } from './domain/plan';
