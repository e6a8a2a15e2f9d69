export * from './simulated-aws';
export * from './state';
export * from './errors';
export * from './policy';
export * from './views';
export type { CallContext, ServiceHandlers } from './context';
export * from './ec2-state';
export { ec2Region } from './ec2';
export * from './authorization';
