export * from './trail-record';
export * from './persistence-table';
export * from './classify';
export * from './swept-identity';
export * from './finding';
export * from './sweep-run';
export * from './sweep-policy';
export * from './sweep-window';
