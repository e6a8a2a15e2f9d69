export * from './client-config';
export * from './member-accounts';
export * from './audit-trail';
export * from './dynamodb-ledger';
export * from './service-runtime';
export * from './role-inline-policies';
export * from './steps/role-inline-policy';
export * from './steps/role-guard';
