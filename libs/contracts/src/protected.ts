import { EntityRef } from './entity';
import { SERVICES, ServiceName } from './routing';

/** Every resource lockdown deploys is named with this prefix (a name proves nothing: see `ProtectedSet`). */
export const LOCKDOWN_NAME_PREFIX = 'lockdown-';
/** The member-account role's default name (configurable at deploy time). */
export const DEFAULT_MEMBER_ROLE_NAME = 'lockdown-member';
/** The CDK bootstrap qualifier when none is configured (`cdk bootstrap`'s default). */
export const DEFAULT_BOOTSTRAP_QUALIFIER = 'hnb659fds';

/**
 * The services whose member statements live in a member role of their own (the member role's name
 * with this suffix), trusted by that service's role only, never in the shared member role every
 * service's role may assume. identity-center-lockdown's calls can GRANT access organization-wide
 * (CreateAccountAssignment, permission sets' inline policies, group memberships) in the Identity Center
 * account (the management account, where no SCP applies, or the delegated administrator): another
 * service's role must not reach them.
 */
export const OWN_MEMBER_ROLE_SUFFIXES: Readonly<Partial<Record<ServiceName, string>>> = {
  'identity-center-lockdown': 'identity-center',
};

/** The member role a service assumes: its own (`OWN_MEMBER_ROLE_SUFFIXES`), else the shared one. */
export function memberRoleNameOf(memberRoleName: string, service: ServiceName): string {
  const suffix = OWN_MEMBER_ROLE_SUFFIXES[service];
  return suffix ? `${memberRoleName}-${suffix}` : memberRoleName;
}

/**
 * The shared member role's name, from the name of the role a service assumes (`memberRoleNameOf`'s
 * inverse): a service with a role of its own reads member accounts' CloudTrail (its sweep) with the shared one.
 */
export function sharedMemberRoleNameOf(serviceRoleName: string, service: ServiceName): string {
  const suffix = OWN_MEMBER_ROLE_SUFFIXES[service];
  return suffix && serviceRoleName.endsWith(`-${suffix}`) ? serviceRoleName.slice(0, -suffix.length - 1) : serviceRoleName;
}

/** The services with a member role of their own, with its name. */
export function ownMemberRoles(memberRoleName: string): Array<{ service: ServiceName; roleName: string }> {
  return SERVICES.filter((s) => OWN_MEMBER_ROLE_SUFFIXES[s]).map((service) => ({
    service,
    roleName: memberRoleNameOf(memberRoleName, service),
  }));
}

/** lockdown's functions in the security account; each runs as the role of the same name. */
export type LockdownFunction = ServiceName | 'intake' | 'triggers';
export const LOCKDOWN_FUNCTIONS: readonly LockdownFunction[] = ['intake', ...SERVICES, 'triggers'];
/** The name of a lockdown function, and of its execution role (the member role trusts these role ARNs). */
export const lockdownFunctionName = (fn: LockdownFunction) => `${LOCKDOWN_NAME_PREFIX}${fn}`;

/**
 * What lockdown never contains, by identity: the member role (its fixed name, in every account: the
 * organization guard freezes it), lockdown's own roles, functions and CDK bootstrap bucket in the
 * security account (exact names in that account only: an attacker's `lockdown-*` elsewhere is
 * contained like anything else), and the operator's `protectedPrincipals` (ARN patterns).
 */
export interface ProtectedSet {
  memberRoleName: string;
  securityAccountId: string;
  bootstrapQualifier: string;
  patterns: readonly string[];
}

/** Why this entity is protected, if it is: the reason names what protects it. */
export function protectionOf(entity: EntityRef, set: ProtectedSet): string | undefined {
  const roleName = entity.type === 'iam-role' ? entity.name : entity.type === 'iam-role-session' ? entity.roleName : undefined;
  // A protected role protects its sessions.
  if (roleName === set.memberRoleName) return `${entity.arn} is lockdown's member role (${set.memberRoleName}) or one of its sessions`;
  const own = ownMemberRoles(set.memberRoleName).find((r) => r.roleName === roleName);
  if (own) return `${entity.arn} is ${own.service}'s own member role (${own.roleName}) or one of its sessions`;
  if (entity.accountId === set.securityAccountId) {
    const own = LOCKDOWN_FUNCTIONS.map(lockdownFunctionName);
    const name = roleName ?? (entity.type === 'lambda-function' ? entity.name : undefined);
    if (name !== undefined && own.includes(name))
      return `${entity.arn} is lockdown's own (${name}, in the security account ${set.securityAccountId})`;
    if (entity.type === 's3-bucket' && bootstrapBucketPattern(set).test(entity.name))
      return `${entity.arn} is the CDK bootstrap bucket lockdown is deployed from (security account ${set.securityAccountId})`;
  }
  const pattern = matchProtectedPattern(entity, set.patterns);
  return pattern ? `${entity.arn} is protected (matches ${pattern})` : undefined;
}

/** `cdk-<qualifier>-assets-<security account>-<region>`: the security account's own, in whichever region lockdown runs. */
const bootstrapBucketPattern = (set: ProtectedSet) =>
  new RegExp(`^cdk-${escape(set.bootstrapQualifier)}-assets-${set.securityAccountId}-[a-z]{2}(-[a-z]+)+-\\d+$`);

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const toRegExp = (pattern: string) => new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`);

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
