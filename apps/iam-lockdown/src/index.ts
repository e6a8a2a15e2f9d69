export { createIamLockdownHandler } from './handler';
export { planIamContainment } from './domain/plan';
