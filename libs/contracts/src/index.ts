import './zod-messages';
export * from './entity';
export * from './arn';
export * from './routing';
export * from './ingress';
export * from './dispatch';
export * from './audit-event';
export * from './audit-email';
export * from './protected';
