import { EntityRef } from './entity';
import type { ServiceName } from './routing';

/** Every resource lockdown deploys is named with this prefix. */
export const LOCKDOWN_NAME_PREFIX = 'lockdown-';
/** The member-account role's default name (configurable at deploy time). */
export const DEFAULT_MEMBER_ROLE_NAME = 'lockdown-member';
/** A lockdown function's role in the security account: the member role trusts the services' roles by this name. */
export const serviceRoleName = (service: ServiceName | 'intake' | 'triggers') => `${LOCKDOWN_NAME_PREFIX}${service}`;

/**
 * Patterns that are always protected, whatever the configuration says, so lockdown can never
 * contain itself: its own roles, functions and buckets in any account, the member role, and the
 * CDK bootstrap bucket it is deployed from.
 */
export function builtInProtectedPatterns(memberRoleName: string): string[] {
  return [
    `arn:*:iam::*:role/${LOCKDOWN_NAME_PREFIX}*`,
    `arn:*:iam::*:role/${memberRoleName}`,
    `arn:*:lambda:*:*:function:${LOCKDOWN_NAME_PREFIX}*`,
    `arn:*:s3:::${LOCKDOWN_NAME_PREFIX}*`,
    // The CDK bootstrap bucket (cdk-<qualifier>-assets-<account>-<region>): deployments, lockdown's included.
    'arn:*:s3:::cdk-*-assets-*',
  ];
}

const toRegExp = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

/**
 * The first pattern (ARN with `*` wildcards) that protects this entity, if any. IAM names are
 * unique in an account whatever their path, so a pattern also matches the path-less ARN.
 */
export function matchProtectedPattern(entity: EntityRef, patterns: readonly string[]): string | undefined {
  const forms = new Set([entity.arn, entity.requestedArn]);
  if (entity.type === 'iam-user' || entity.type === 'iam-role') {
    const kind = entity.type === 'iam-user' ? 'user' : 'role';
    forms.add(`arn:${entity.partition}:iam::${entity.accountId}:${kind}/${entity.name}`);
  }
  // A protected role protects its sessions.
  if (entity.type === 'iam-role-session') forms.add(`arn:${entity.partition}:iam::${entity.accountId}:role/${entity.roleName}`);
  return patterns.find((pattern) => {
    const regexp = toRegExp(pattern);
    return [...forms].some((form) => regexp.test(form));
  });
}
