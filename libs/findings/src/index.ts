export * from './entities-of-finding';
export * from './guardduty';
export * from './security-hub';
export * from './policy';
export * from './samples';
export * from './event-patterns';
