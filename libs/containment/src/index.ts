export * from './step';
export * from './step-kind';
export * from './ledger';
export * from './ledger-record';
export * from './failure';
export * from './aws-errors';
export * from './executor';
export * from './in-memory-ledger';
