import { resolve } from 'node:path';
import { LOCKDOWN_NAME_PREFIX, ServiceName, serviceRoleName } from '@lockdown/contracts';

/**
 * Fixed names: the member role trusts the service roles by ARN, and the intake always protects
 * `lockdown-*` roles and functions, so lockdown can never contain itself.
 */
export { serviceRoleName };
export const functionName = (service: ServiceName | 'intake' | 'triggers') => `${LOCKDOWN_NAME_PREFIX}${service}`;

/** Where the core stack publishes what the service stacks need (no CloudFormation exports). */
export const PARAMETERS = {
  dispatchTopicArn: '/lockdown/dispatch-topic-arn',
  auditTopicArn: '/lockdown/audit-topic-arn',
  auditKeyArn: '/lockdown/audit-key-arn',
  ingressTopicArn: '/lockdown/ingress-topic-arn',
  ingressKeyArn: '/lockdown/ingress-key-arn',
  externalIdSecretArn: '/lockdown/external-id-secret-arn',
} as const;

/** Every lockdown alarm's name starts with this: the audit topic lets CloudWatch publish for these only. */
export const ALARM_PREFIX = `${LOCKDOWN_NAME_PREFIX}`;

export const STACK_NAMES = {
  core: 'LockdownCore',
  member: 'LockdownMemberRole',
  orgGuard: 'LockdownOrgGuard',
  triggers: 'LockdownTriggers',
  service: (service: ServiceName) => `Lockdown-${service}`,
} as const;

/** Where `nx run-many -t build` puts each function's bundle (absolute: synth works from any directory). */
export const bundlePath = (app: ServiceName | 'intake' | 'triggers') => resolve(__dirname, '..', '..', 'dist', 'apps', app);
