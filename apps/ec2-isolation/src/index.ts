export { createEc2IsolationHandler } from './handler';
export { planEc2Isolation } from './domain/plan';
export { GROUP_NAMES } from './adapters/security-groups';
