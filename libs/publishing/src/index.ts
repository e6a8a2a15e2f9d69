export * from './external-id-secret';
export * from './ingress-publisher';
export * from './request-topics';
