export { createEc2IsolationHandler } from './handler';
export { planEc2Isolation, PHASE_2_GROUP } from './domain/plan';
export type { ObservedInstance } from './domain/observed';
export { GROUP_NAMES, MANAGED_TAG } from './adapters/security-groups';
