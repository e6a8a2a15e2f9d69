import {
  _default,
  array,
  boolean,
  coerce,
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
  refine,
  regex,
  string,
  union,
} from 'zod/mini';
import type { z } from 'zod/mini';
import type { $ZodLooseShape } from 'zod/v4/core';
import {
  DEFAULT_BOOTSTRAP_QUALIFIER,
  DEFAULT_MEMBER_ROLE_DEPLOYERS,
  DEFAULT_MEMBER_ROLE_NAME,
  DEFAULT_WATCH_SCHEDULE,
  SERVICES,
  ServiceName,
  formatIssues,
  ownMemberRoles,
} from '@lockdown/contracts';
import { SERVICE_DESCRIPTORS, descriptorOf } from './registry';
import { SweepConfigSchema } from './sweep-config';
import {
  DEFAULT_MAX_ENTITIES_PER_FINDING,
  DEFAULT_TRIGGER_RULES,
  OCSF_PRODUCTS,
  OcsfProduct,
  TriggerPolicySchema,
} from '@lockdown/findings';

const accountId = string().check(regex(/^\d{12}$/, { error: 'an account id is 12 digits' }));
const concurrency = object({
  batchSize: optional(number().check(int(), gte(1), lte(10))),
  maximumConcurrency: optional(number().check(int(), gte(2), lte(1000))),
});
const optionalConcurrency = optional(concurrency);
const reserved = optional(number().check(int(), gte(1), lte(1000)));

const DEFAULT_FINDINGS_POLICY = {
  rules: DEFAULT_TRIGGER_RULES,
  otherwise: 'suggest' as const,
  maxEntitiesPerFinding: DEFAULT_MAX_ENTITIES_PER_FINDING,
};

/** Concurrency reserved for the intake and the triggers unless configured (a service reserves its queue's maximumConcurrency). */
export const DEFAULT_RESERVED_CONCURRENCY = { intake: 10, triggers: 5 } as const;
/** Lambda keeps 100 of an account's concurrency unreserved; the default account limit is 1,000. */
export const RESERVABLE_CONCURRENCY = 900;
type Reserving = ServiceName | keyof typeof DEFAULT_RESERVED_CONCURRENCY;

/** Everything an operator can set with `cdk -c key=value` or cdk.json, with documented defaults. */
export const LockdownConfigSchema = object({
  /** Email addresses that receive the audit emails (start, end, DLQ alarms). */
  auditEmails: _default(array(string().check(regex(/^[^@\s]+@[^@\s]+$/, { error: 'auditEmails must be email addresses' }))), []),
  /** Principals allowed to publish to the ingress topic (the one permission responders need). */
  allowedPublishers: _default(
    array(string().check(regex(/^arn:aws[\w-]*:(iam|sts)::\d{12}:/, { error: 'allowedPublishers must be IAM principal ARNs' }))),
    [],
  ),
  /**
   * Principals allowed to publish to the release topic: release is its own authority. Named roles
   * or users only: an account root would make every principal that account allows a releaser.
   */
  allowedReleasers: _default(
    array(
      string().check(
        regex(/^arn:aws[\w-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/, { error: 'allowedReleasers must be IAM role or user ARNs' }),
      ),
    ),
    [],
  ),
  /** `all`, or the member account ids lockdown may act in. */
  onboardedAccounts: _default(union([literal('all'), array(accountId).check(minLength(1))]), 'all'),
  /** ARN patterns (`*` wildcard) that must never be contained, on top of lockdown's own. */
  protectedPrincipals: _default(array(string().check(regex(/^arn:/, { error: 'protectedPrincipals must be ARN patterns' }))), []),
  memberRoleName: _default(
    string().check(
      regex(/^[\w+=,.@-]{1,64}$/, { error: 'memberRoleName is not a valid IAM role name' }),
      // A service's own member role is `<memberRoleName>-<suffix>`: it must fit IAM's 64 characters too.
      refine((name) => ownMemberRoles(name).every((r) => r.roleName.length <= 64), {
        error: "memberRoleName is too long: a service's own member role (<memberRoleName>-identity-center) would pass IAM's 64 characters",
      }),
    ),
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
  /**
   * IAM role ARN patterns of the principals that deploy the member role (the StackSet execution
   * roles): the organization guard lets only them change it, and freezes roles with their names.
   */
  memberRoleDeployers: _default(
    array(
      string().check(
        regex(/^arn:(\*|aws[\w-]*):iam::(\*|\d{12}):role\/[\w+=,.@-][\w+=,.@/*-]{0,511}$/, {
          error: 'memberRoleDeployers must be IAM role ARN patterns whose name does not start with * (a role anyone could name)',
        }),
      ),
    ).check(minLength(1, { error: 'memberRoleDeployers needs at least one role: nobody could update the member role' })),
    [...DEFAULT_MEMBER_ROLE_DEPLOYERS],
  ),
  /** The tamper watch: seconds after containment at which every service re-verifies and re-applies drift ([] turns it off). */
  watchSchedule: _default(
    array(coerce.number().check(int(), gte(1), lte(86_400))).check(
      refine((s) => s.every((v, i) => i === 0 || v > s[i - 1]!), { error: 'watchSchedule must be increasing seconds' }),
    ),
    [...DEFAULT_WATCH_SCHEDULE],
  ),
  /**
   * The triggers stack: the findings policy (`guardDuty`: rules of finding types and minimum severity, each
   * contain, suggest or ignore; the first match decides, else `otherwise`; at most `maxEntitiesPerFinding`
   * contained from one finding), the products whose OCSF findings the new Security Hub delivers are
   * read (`securityHubV2`: `securityhub` for Security Hub CSPM's own, `guardduty` to read GuardDuty
   * there instead of natively), lockdown's Security
   * Hub custom action "contain", and, only when asked for, its "release" action (whoever may use
   * Security Hub custom actions in the account then becomes a releaser).
   */
  triggers: _default(
    object({
      guardDuty: _default(TriggerPolicySchema, DEFAULT_FINDINGS_POLICY),
      securityHubV2: _default(array(zEnum(Object.keys(OCSF_PRODUCTS) as [OcsfProduct, ...OcsfProduct[]])), []),
      securityHubActions: _default(boolean(), true),
      securityHubRelease: _default(boolean(), false),
    }),
    { guardDuty: DEFAULT_FINDINGS_POLICY, securityHubV2: [], securityHubActions: true, securityHubRelease: false },
  ),
  /**
   * The persistence sweep every service runs after a containment: `enabled` (true), `policy` (category ->
   * `report` or `contain`; default: report everything), `lookbackHours` (24), `maxPages` (40), `regions`
   * (default: every region enabled for the account). A policy that contains lets the services publish to the ingress topic.
   */
  sweep: SweepConfigSchema,
  /** Per service: SQS batch size and the event source's maximumConcurrency (API rate limits). */
  concurrency: _default(
    object(
      Object.fromEntries(SERVICES.map((service) => [service, optionalConcurrency])) as Record<ServiceName, typeof optionalConcurrency>,
    ),
    {},
  ),
  /**
   * Per function (intake, triggers, each service): concurrency reserved for it alone. A service's
   * may not be less than its queue's maximumConcurrency (Lambda would throttle what the queue sends).
   */
  reservedConcurrency: _default(
    object({
      intake: reserved,
      triggers: reserved,
      ...(Object.fromEntries(SERVICES.map((service) => [service, reserved])) as Record<ServiceName, typeof reserved>),
    }),
    {},
  ),
});

/** Each service's own settings (flat keys, like the others), from its descriptor. */
const ServiceSettingsSchema = object(Object.assign({}, ...SERVICE_DESCRIPTORS.map((d) => d.settings.shape)) as $ZodLooseShape);

/** The whole configuration: lockdown's settings, typed, and the services' own, which each descriptor reads. */
export type LockdownConfig = z.infer<typeof LockdownConfigSchema> & { readonly [serviceSetting: string]: unknown };

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

/** Whether a setting's value is a list (under its default or optional wrapper). */
function isList(schema: unknown): boolean {
  const def = (schema as { _zod: { def: { type: string; innerType?: unknown } } })._zod.def;
  return def.type === 'array' || ((def.type === 'default' || def.type === 'optional') && isList(def.innerType));
}

/** The list settings, lockdown's and the services' own: one value given alone (`-c key=value`) is a list of one. */
const LIST_KEYS = Object.entries({ ...LockdownConfigSchema.shape, ...ServiceSettingsSchema.shape })
  .filter(([, schema]) => isList(schema))
  .map(([key]) => key);

/** A configuration problem: its message names the setting; no stack trace is worth showing. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The settings lockdown knows; CDK's own context keys (`@aws-cdk/...`, `aws:cdk:...`) are not ours to judge. */
export const SETTINGS = [...Object.keys(LockdownConfigSchema.shape), ...Object.keys(ServiceSettingsSchema.shape)];
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
  const reservedInAll = [...SERVICES, ...(Object.keys(DEFAULT_RESERVED_CONCURRENCY) as Reserving[])].reduce(
    (sum, fn) => sum + reservedConcurrencyOf(config, fn),
    0,
  );
  return [
    ...(reservedInAll > RESERVABLE_CONCURRENCY
      ? [
          `reservedConcurrency: lockdown reserves ${reservedInAll} concurrent executions, more than the ${RESERVABLE_CONCURRENCY} an account with Lambda's default limit (1,000, 100 kept unreserved) can reserve: ask for a higher limit first`,
        ]
      : []),
    ...(config.auditEmails.length === 0
      ? ['auditEmails is empty: nobody receives the audit emails or the alarms (subscribe to the lockdown-audit topic yourself)']
      : []),
    ...(config.allowedPublishers.length === 0 ? ['allowedPublishers is empty: nobody can publish requests to the ingress topic'] : []),
    ...(!config.sweep.enabled && Object.values(config.sweep.policy).includes('contain')
      ? ['sweep.enabled is false: the sweep is off, and its policy contains nothing']
      : []),
    ...(config.allowedReleasers.length === 0 && !config.triggers.securityHubRelease
      ? ['allowedReleasers is empty: nobody can release (publish to the release topic) until you name releasers']
      : []),
  ];
}

/** Reads and validates the configuration; the error names every problem. */
export function loadConfig(read: (key: string) => unknown): LockdownConfig {
  const raw: Record<string, unknown> = {};
  for (const key of SETTINGS) {
    const value = decode(read(key));
    if (value === undefined) continue;
    raw[key] = LIST_KEYS.includes(key) && (typeof value === 'string' || typeof value === 'number') ? [value] : value;
  }
  if (typeof raw['onboardedAccounts'] === 'string' && raw['onboardedAccounts'] !== 'all')
    raw['onboardedAccounts'] = [raw['onboardedAccounts']];
  const core = LockdownConfigSchema.safeParse(raw);
  const services = ServiceSettingsSchema.safeParse(raw);
  const issues = [...(core.error?.issues ?? []), ...(services.error?.issues ?? [])];
  if (!core.success || !services.success) throw new ConfigError(`invalid lockdown configuration: ${formatIssues({ issues })}`);
  const config: LockdownConfig = { ...services.data, ...core.data };
  const starved = SERVICES.filter((service) => reservedConcurrencyOf(config, service) < concurrencyOf(config, service).maximumConcurrency);
  if (starved.length > 0)
    throw new ConfigError(
      `invalid lockdown configuration: ${starved
        .map(
          (service) =>
            `reservedConcurrency.${service} is ${reservedConcurrencyOf(config, service)}, less than the maximumConcurrency of its queue (${concurrencyOf(config, service).maximumConcurrency})`,
        )
        .join('; ')}`,
    );
  return config;
}

/**
 * The scope as the intake and the services read it (`scopeFromEnvironment`): the security account is
 * the one the stack is deployed to (they run there), the bootstrap qualifier the stack's synthesizer's.
 */
/** What the scope needs of the stack a function is deployed in (a CDK Stack is one). */
export interface DeployedIn {
  readonly account: string;
  readonly synthesizer: { readonly bootstrapQualifier?: string | undefined };
}

export const scopeEnvironment = (config: LockdownConfig, stack: DeployedIn) => ({
  ONBOARDED_ACCOUNTS: config.onboardedAccounts === 'all' ? 'all' : config.onboardedAccounts.join(','),
  PROTECTED_PRINCIPALS: config.protectedPrincipals.join(','),
  MEMBER_ROLE_NAME: config.memberRoleName,
  SECURITY_ACCOUNT_ID: stack.account,
  BOOTSTRAP_QUALIFIER: stack.synthesizer.bootstrapQualifier ?? DEFAULT_BOOTSTRAP_QUALIFIER,
});

export function concurrencyOf(config: LockdownConfig, service: ServiceName) {
  const chosen = config.concurrency[service] ?? {};
  return {
    batchSize: chosen.batchSize ?? descriptorOf(service).concurrency.batchSize,
    maximumConcurrency: chosen.maximumConcurrency ?? descriptorOf(service).concurrency.maximumConcurrency,
  };
}

/** The concurrency reserved for a function: configured, else the default (a service: its queue's maximumConcurrency). */
export function reservedConcurrencyOf(config: LockdownConfig, fn: Reserving): number {
  const chosen = config.reservedConcurrency[fn];
  if (chosen !== undefined) return chosen;
  return fn === 'intake' || fn === 'triggers' ? DEFAULT_RESERVED_CONCURRENCY[fn] : concurrencyOf(config, fn).maximumConcurrency;
}
