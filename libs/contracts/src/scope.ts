import { EntityRef } from './entity';
import { DEFAULT_MEMBER_ROLE_NAME, builtInProtectedPatterns, matchProtectedPattern } from './protected';

/** Where lockdown may act: the onboarded accounts, and the principals it must never contain. */
export interface RequestScope {
  onboardedAccounts: 'all' | ReadonlySet<string>;
  protectedPatterns: readonly string[];
}

export interface ScopeRefusal {
  code: 'account-not-onboarded' | 'protected-principal' | 'service-linked-role';
  reason: string;
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

/**
 * The scope from its settings (`ONBOARDED_ACCOUNTS`: "all" or account ids; `PROTECTED_PRINCIPALS`:
 * ARN patterns), lockdown's own roles and functions always protected. Throws naming the problem.
 */
export function parseScope(
  onboardedAccounts: string | undefined,
  protectedPrincipals: string | undefined,
  memberRoleName: string,
): RequestScope {
  const onboarded = (onboardedAccounts ?? '').trim();
  if (onboarded !== 'all' && (list(onboarded).length === 0 || !list(onboarded).every((id) => /^\d{12}$/.test(id))))
    throw new Error('ONBOARDED_ACCOUNTS must be "all" or a comma-separated list of 12-digit account ids');
  return {
    onboardedAccounts: onboarded === 'all' ? 'all' : new Set(list(onboarded)),
    protectedPatterns: [...builtInProtectedPatterns(memberRoleName), ...list(protectedPrincipals)],
  };
}

/**
 * The scope from an environment's ONBOARDED_ACCOUNTS, PROTECTED_PRINCIPALS and MEMBER_ROLE_NAME: the
 * scope, or the problem with it (nothing when ONBOARDED_ACCOUNTS is unset: the caller reports it).
 */
export function scopeFromEnvironment(env: Record<string, string | undefined>): { scope?: RequestScope; problem?: string } {
  if (env['ONBOARDED_ACCOUNTS'] === undefined) return {};
  try {
    return {
      scope: parseScope(env['ONBOARDED_ACCOUNTS'], env['PROTECTED_PRINCIPALS'], env['MEMBER_ROLE_NAME'] || DEFAULT_MEMBER_ROLE_NAME),
    };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

/** Why lockdown must not act on this entity, if it must not: checked by the intake and again by every service. */
export function outOfScope(entity: EntityRef, scope: RequestScope): ScopeRefusal | undefined {
  if (scope.onboardedAccounts !== 'all' && !scope.onboardedAccounts.has(entity.accountId))
    return { code: 'account-not-onboarded', reason: `account ${entity.accountId} is not onboarded to lockdown` };
  const pattern = matchProtectedPattern(entity, scope.protectedPatterns);
  if (pattern) return { code: 'protected-principal', reason: `${entity.arn} is protected (matches ${pattern})` };
  if (entity.type === 'iam-role' && entity.serviceLinked)
    return { code: 'service-linked-role', reason: `${entity.name} is a service-linked role: only its AWS service can change it` };
  if (entity.type === 'iam-role-session' && entity.serviceLinked)
    return { code: 'service-linked-role', reason: `${entity.roleName} is a service-linked role: only its AWS service can change it` };
  return undefined;
}
