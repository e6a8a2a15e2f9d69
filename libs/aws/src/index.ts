export * from './client-config';
export * from './member-accounts';
export * from './audit-trail';
