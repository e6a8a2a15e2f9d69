import { EntityRef } from './entity';
import { DEFAULT_BOOTSTRAP_QUALIFIER, DEFAULT_MEMBER_ROLE_NAME, ProtectedSet, protectionOf } from './protected';

/** Where lockdown may act: the onboarded accounts, and what it must never contain. */
export interface RequestScope {
  onboardedAccounts: 'all' | ReadonlySet<string>;
  protectedSet: ProtectedSet;
}

export interface ScopeRefusal {
  code: 'account-not-onboarded' | 'protected-principal' | 'service-linked-role';
  reason: string;
}

/** The settings a scope is read from (the intake's and every service's environment, the CLI's options). */
export interface ScopeSettings {
  /** `all`, or comma-separated account ids. */
  onboardedAccounts: string | undefined;
  /** Comma-separated ARN patterns (`*` wildcard). */
  protectedPrincipals?: string | undefined;
  memberRoleName?: string | undefined;
  /** The account lockdown runs in: its own roles, functions and bootstrap bucket there are protected. */
  securityAccountId: string | undefined;
  bootstrapQualifier?: string | undefined;
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

/** The scope from its settings; throws naming the problem. */
export function parseScope(settings: ScopeSettings): RequestScope {
  const onboarded = (settings.onboardedAccounts ?? '').trim();
  if (onboarded !== 'all' && (list(onboarded).length === 0 || !list(onboarded).every((id) => /^\d{12}$/.test(id))))
    throw new Error('ONBOARDED_ACCOUNTS must be "all" or a comma-separated list of 12-digit account ids');
  const securityAccountId = settings.securityAccountId?.trim() ?? '';
  if (!/^\d{12}$/.test(securityAccountId))
    throw new Error(
      'SECURITY_ACCOUNT_ID must be the 12-digit id of the account lockdown runs in (its own roles, functions and bootstrap bucket there are protected)',
    );
  const bootstrapQualifier = settings.bootstrapQualifier || DEFAULT_BOOTSTRAP_QUALIFIER;
  if (!/^[A-Za-z0-9_-]{1,10}$/.test(bootstrapQualifier)) throw new Error('BOOTSTRAP_QUALIFIER must be a CDK bootstrap qualifier');
  return {
    onboardedAccounts: onboarded === 'all' ? 'all' : new Set(list(onboarded)),
    protectedSet: {
      memberRoleName: settings.memberRoleName || DEFAULT_MEMBER_ROLE_NAME,
      securityAccountId,
      bootstrapQualifier,
      patterns: list(settings.protectedPrincipals),
    },
  };
}

/**
 * The scope from an environment's ONBOARDED_ACCOUNTS, PROTECTED_PRINCIPALS, MEMBER_ROLE_NAME,
 * SECURITY_ACCOUNT_ID and BOOTSTRAP_QUALIFIER: the scope, or the problem with it (nothing when
 * ONBOARDED_ACCOUNTS is unset: the caller reports it).
 */
export function scopeFromEnvironment(env: Record<string, string | undefined>): { scope?: RequestScope; problem?: string } {
  if (env['ONBOARDED_ACCOUNTS'] === undefined) return {};
  try {
    return {
      scope: parseScope({
        onboardedAccounts: env['ONBOARDED_ACCOUNTS'],
        protectedPrincipals: env['PROTECTED_PRINCIPALS'],
        memberRoleName: env['MEMBER_ROLE_NAME'],
        securityAccountId: env['SECURITY_ACCOUNT_ID'],
        bootstrapQualifier: env['BOOTSTRAP_QUALIFIER'],
      }),
    };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

/** Why lockdown must not act on this entity, if it must not: checked by the intake, again by every service, and by `lockdown plan`. */
export function outOfScope(entity: EntityRef, scope: RequestScope): ScopeRefusal | undefined {
  if (scope.onboardedAccounts !== 'all' && !scope.onboardedAccounts.has(entity.accountId))
    return { code: 'account-not-onboarded', reason: `account ${entity.accountId} is not onboarded to lockdown` };
  const protection = protectionOf(entity, scope.protectedSet);
  if (protection) return { code: 'protected-principal', reason: protection };
  if (entity.type === 'iam-role' && entity.serviceLinked)
    return { code: 'service-linked-role', reason: `${entity.name} is a service-linked role: only its AWS service can change it` };
  if (entity.type === 'iam-role-session' && entity.serviceLinked)
    return { code: 'service-linked-role', reason: `${entity.roleName} is a service-linked role: only its AWS service can change it` };
  return undefined;
}
