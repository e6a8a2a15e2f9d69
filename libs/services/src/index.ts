export * from './registry';
export * from './config';
export * from './cdk-context';
export * from './sweep-config';
