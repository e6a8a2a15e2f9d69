export { createIamLockdownHandler } from './handler';
export { planIamContainment } from './domain/plan';
export type { ObservedPrincipal } from './domain/observed';
