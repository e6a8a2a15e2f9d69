import { resolve } from 'node:path';
import { LOCKDOWN_NAME_PREFIX, LockdownFunction, ServiceName, lockdownFunctionName } from '@lockdown/contracts';

/**
 * Fixed names (one definition, in libs/contracts): the member role trusts the service roles by ARN,
 * and the intake and the services protect these roles and functions in the security account.
 */
export const serviceRoleName = lockdownFunctionName;
export const functionName = lockdownFunctionName;
/** The triggers' role, which the core stack names a releaser when the Security Hub release action is on. */
export const triggersRoleArn = (stack: { partition: string; account: string }) =>
  `arn:${stack.partition}:iam::${stack.account}:role/${serviceRoleName('triggers')}`;

/** Where the core stack publishes what the service stacks need (no CloudFormation exports). */
export const PARAMETERS = {
  dispatchTopicArn: '/lockdown/dispatch-topic-arn',
  auditTopicArn: '/lockdown/audit-topic-arn',
  auditKeyArn: '/lockdown/audit-key-arn',
  ingressTopicArn: '/lockdown/ingress-topic-arn',
  ingressKeyArn: '/lockdown/ingress-key-arn',
  releaseTopicArn: '/lockdown/release-topic-arn',
  releaseKeyArn: '/lockdown/release-key-arn',
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
export const bundlePath = (app: LockdownFunction) => resolve(__dirname, '..', '..', 'dist', 'apps', app);
