export * from './handler';
export * from './triggers';
