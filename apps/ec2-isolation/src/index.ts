export { createEc2IsolationHandler } from './handler';
export { planEc2Isolation } from './domain/plan';
export { MANAGED_TAG } from './adapters/security-groups';
