export * from './messaging-fabric';
export * from './local-endpoints';
export * from './dynalite';
export * from './aws';
export * from './messages';
export * from './service-harness';
export * from './ec2-fixtures';
export * from './local-answer';
