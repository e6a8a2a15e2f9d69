import {
  _default,
  array,
  boolean,
  enum as zEnum,
  gte,
  int,
  literal,
  lte,
  maxLength,
  minLength,
  number,
  object,
  optional,
  regex,
  string,
  union,
} from 'zod/mini';
import type { z } from 'zod/mini';
import { DEFAULT_MEMBER_ROLE_NAME, ServiceName } from '@lockdown/contracts';

const accountId = string().check(regex(/^\d{12}$/, { error: 'an account id is 12 digits' }));
const concurrency = object({
  batchSize: optional(number().check(int(), gte(1), lte(10))),
  maximumConcurrency: optional(number().check(int(), gte(2), lte(1000))),
});

/** Everything an operator can set with `cdk -c key=value` or cdk.json, with documented defaults. */
export const LockdownConfigSchema = object({
  /** Email addresses that receive the audit emails (start, end, DLQ alarms). */
  auditEmails: _default(array(string().check(regex(/^[^@\s]+@[^@\s]+$/, { error: 'auditEmails must be email addresses' }))), []),
  /** Principals allowed to publish to the ingress topic (the one permission responders need). */
  allowedPublishers: _default(
    array(string().check(regex(/^arn:aws[\w-]*:(iam|sts)::\d{12}:/, { error: 'allowedPublishers must be IAM principal ARNs' }))),
    [],
  ),
  /** `all`, or the member account ids lockdown may act in. */
  onboardedAccounts: _default(union([literal('all'), array(accountId).check(minLength(1))]), 'all'),
  /** ARN patterns (`*` wildcard) that must never be contained, on top of lockdown's own. */
  protectedPrincipals: _default(array(string().check(regex(/^arn:/, { error: 'protectedPrincipals must be ARN patterns' }))), []),
  memberRoleName: _default(
    string().check(regex(/^[\w+=,.@-]{1,64}$/, { error: 'memberRoleName is not a valid IAM role name' })),
    DEFAULT_MEMBER_ROLE_NAME,
  ),
  /** The ExternalId the member role requires (not a secret; it prevents confused-deputy use). */
  memberExternalId: _default(string().check(minLength(2), maxLength(1224)), 'lockdown-member'),
  /** The security account that runs lockdown (the member role trusts its service roles). */
  securityAccountId: optional(accountId),
  /** Optional: the member role also requires the caller to be in this organisation. */
  organizationId: optional(string().check(regex(/^o-[a-z0-9]{10,32}$/, { error: 'organizationId looks like o-xxxxxxxxxx' }))),
  /** Roots, OUs or accounts the organization guard's SCP is attached to (none: created, not attached). */
  orgGuardTargets: _default(
    array(
      string().check(
        regex(/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\d{12})$/, { error: 'orgGuardTargets must be root, OU or account ids' }),
      ),
    ),
    [],
  ),
  untrackedWindowSeconds: _default(number().check(int(), gte(0), lte(900)), 60),
  snapshotVolumes: _default(boolean(), false),
  detachAutoScaling: _default(boolean(), false),
  deregisterTargets: _default(boolean(), false),
  revokeRoleSessions: _default(boolean(), false),
  lambdaRoleMode: _default(zEnum(['targeted', 'whole-role']), 'targeted'),
  /** Per service: SQS batch size and the event source's maximumConcurrency (API rate limits). */
  concurrency: _default(
    object({ 'iam-lockdown': optional(concurrency), 'lambda-lockdown': optional(concurrency), 'ec2-isolation': optional(concurrency) }),
    {},
  ),
});
export type LockdownConfig = z.infer<typeof LockdownConfigSchema>;

/**
 * Defaults chosen to stay under AWS's API rate limits: EC2 mutating calls refill at about 5/s per
 * account and region and an isolation makes 2 + 2 per interface; Lambda's control plane allows
 * 15 requests/s and a containment makes 2-4; IAM writes are the most generous.
 */
export const DEFAULT_CONCURRENCY: Record<ServiceName, { batchSize: number; maximumConcurrency: number }> = {
  'iam-lockdown': { batchSize: 10, maximumConcurrency: 5 },
  'lambda-lockdown': { batchSize: 5, maximumConcurrency: 2 },
  'ec2-isolation': { batchSize: 5, maximumConcurrency: 2 },
};

/** Context values arrive as strings from `-c key=value` and as JSON from cdk.json. */
function decode(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  // JSON for lists, objects, booleans and small numbers; account ids (12 digits) stay strings.
  if (/^[[{]|^(true|false|\d{1,6})$/.test(trimmed)) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return value;
    }
  }
  return value.includes(',') ? value.split(',').map((v) => v.trim()) : value;
}

const LIST_KEYS = ['auditEmails', 'allowedPublishers', 'protectedPrincipals', 'orgGuardTargets'];

/** A configuration problem: its message names the setting; no stack trace is worth showing. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The settings lockdown knows; CDK's own context keys (`@aws-cdk/...`, `aws:cdk:...`) are not ours to judge. */
export const SETTINGS = Object.keys(LockdownConfigSchema.shape);
const isCdkKey = (key: string) => key.startsWith('@') || key.includes(':');

/** Refuses a setting lockdown does not know (a misspelled key would otherwise be ignored in silence). */
export function checkSettingNames(keys: string[]): void {
  const unknown = keys.filter((key) => !isCdkKey(key) && !SETTINGS.includes(key));
  if (unknown.length > 0)
    throw new ConfigError(
      `unknown lockdown setting${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; the settings are ${SETTINGS.join(', ')}`,
    );
}

/** What an operator should know before deploying this configuration. */
export function configWarnings(config: LockdownConfig): string[] {
  return [
    ...(config.auditEmails.length === 0
      ? ['auditEmails is empty: nobody receives the audit emails or the alarms (subscribe to the lockdown-audit topic yourself)']
      : []),
    ...(config.allowedPublishers.length === 0 ? ['allowedPublishers is empty: nobody can publish requests to the ingress topic'] : []),
  ];
}

/** Reads and validates the configuration; the error names every problem. */
export function loadConfig(read: (key: string) => unknown): LockdownConfig {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(LockdownConfigSchema.shape)) {
    const value = decode(read(key));
    if (value === undefined) continue;
    raw[key] = LIST_KEYS.includes(key) && typeof value === 'string' ? [value] : value;
  }
  if (typeof raw['onboardedAccounts'] === 'string' && raw['onboardedAccounts'] !== 'all')
    raw['onboardedAccounts'] = [raw['onboardedAccounts']];
  const parsed = LockdownConfigSchema.safeParse(raw);
  if (!parsed.success)
    throw new ConfigError(
      `invalid lockdown configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

/** The scope as the intake and the services read it (ONBOARDED_ACCOUNTS, PROTECTED_PRINCIPALS). */
export const scopeEnvironment = (config: LockdownConfig) => ({
  ONBOARDED_ACCOUNTS: config.onboardedAccounts === 'all' ? 'all' : config.onboardedAccounts.join(','),
  PROTECTED_PRINCIPALS: config.protectedPrincipals.join(','),
});

export function concurrencyOf(config: LockdownConfig, service: ServiceName) {
  const chosen = config.concurrency[service] ?? {};
  return {
    batchSize: chosen.batchSize ?? DEFAULT_CONCURRENCY[service].batchSize,
    maximumConcurrency: chosen.maximumConcurrency ?? DEFAULT_CONCURRENCY[service].maximumConcurrency,
  };
}
