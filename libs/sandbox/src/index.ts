export * from './messaging-fabric';
export * from './local-endpoints';
