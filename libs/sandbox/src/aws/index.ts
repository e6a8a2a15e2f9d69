export * from './simulated-aws';
export * from './state';
export * from './errors';
export * from './policy';
export * from './views';
export type { CallContext, ServiceHandlers } from './context';
