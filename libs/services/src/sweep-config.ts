import {
  _default,
  array,
  boolean,
  enum as zEnum,
  gte,
  int,
  lte,
  minLength,
  number,
  optional,
  refine,
  regex,
  string,
  strictObject,
} from 'zod/mini';
import type { z } from 'zod/mini';
import { CATEGORIES, Category, REPORT_ONLY_CATEGORIES, SWEEP_LIMITS } from '@lockdown/sweep';

const { lookbackHours, maxPages } = SWEEP_LIMITS;
const action = optional(zEnum(['report', 'contain']));

/** What the services do with each category of the sweep's findings: report (the default) or contain what it names. */
const SweepPolicySchema = strictObject(Object.fromEntries(CATEGORIES.map((c) => [c, action])) as Record<Category, typeof action>).check(
  refine((policy) => REPORT_ONLY_CATEGORIES.every((c) => policy[c] !== 'contain'), {
    error: `sweep.policy: ${REPORT_ONLY_CATEGORIES.join(', ')} is reported only (the attacker picks its principal, possibly the defender's own), never contained`,
  }),
);

const DEFAULT_SWEEP_CONFIG = {
  enabled: true,
  policy: {},
  lookbackHours: lookbackHours.default,
  maxPages: maxPages.default,
} as const;

/**
 * The persistence sweep of every service (`sweep` in cdk.json): on or off, the policy per category,
 * how far back it reads, how many pages per region and pass, and in which regions (default: every region enabled for the account).
 */
export const SweepConfigSchema = _default(
  strictObject({
    enabled: _default(boolean(), DEFAULT_SWEEP_CONFIG.enabled),
    policy: _default(SweepPolicySchema, {}),
    lookbackHours: _default(number().check(gte(lookbackHours.min), lte(lookbackHours.max)), lookbackHours.default),
    maxPages: _default(number().check(int(), gte(maxPages.min), lte(maxPages.max)), maxPages.default),
    regions: optional(
      array(string().check(regex(/^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/, { error: 'sweep.regions must be region names (us-east-1)' }))).check(
        minLength(1, {
          error: 'sweep.regions: name at least one region, or leave it out (the default: every region enabled for the account)',
        }),
      ),
    ),
  }),
  { ...DEFAULT_SWEEP_CONFIG },
);
export type SweepConfig = z.infer<typeof SweepConfigSchema>;

/** Whether the deployed sweep contains anything: only then may a service publish to the ingress topic. */
export const sweepContains = (sweep: SweepConfig) => sweep.enabled && Object.values(sweep.policy).includes('contain');

/** Where a sweep that contains publishes its derived requests, like any publisher. */
export interface SweepIngress {
  readonly topicArn: string;
  readonly externalIdSecretArn: string;
}

/**
 * A service's sweep environment (what `sweepSettingsFromEnvironment` reads): SWEEP=off, or its
 * settings, and the ingress topic and ExternalId secret only when the policy contains something.
 */
export function sweepEnvironment(sweep: SweepConfig, ingress?: SweepIngress): Record<string, string> {
  if (!sweep.enabled) return { SWEEP: 'off' };
  const contains = sweepContains(sweep);
  if (contains && !ingress) throw new Error('sweep.policy contains: the service needs the ingress topic and the ExternalId secret');
  const policy = Object.entries(sweep.policy).map(([category, action]) => `${category}=${action}`);
  return {
    SWEEP: 'on',
    SWEEP_LOOKBACK_HOURS: String(sweep.lookbackHours),
    SWEEP_MAX_PAGES: String(sweep.maxPages),
    ...(sweep.regions ? { SWEEP_REGIONS: sweep.regions.join(',') } : {}),
    ...(policy.length > 0 ? { SWEEP_POLICY: policy.join(',') } : {}),
    ...(contains && ingress ? { INGRESS_TOPIC_ARN: ingress.topicArn, EXTERNAL_ID_SECRET_ARN: ingress.externalIdSecretArn } : {}),
  };
}
