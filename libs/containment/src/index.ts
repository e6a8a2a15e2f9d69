export * from './step';
export * from './step-kind';
export * from './role-step-kinds';
export * from './ledger';
export * from './failure';
export * from './aws-errors';
export * from './executor';
export * from './in-memory-ledger';
