import { _default, coerce, enum as zEnum, gte, int, lte, object, optional, string } from 'zod/mini';
import { CATEGORIES, Category, SWEEP_LIMITS, SweepPolicy } from '@lockdown/sweep';
import { formatIssues } from '@lockdown/contracts';

const EnvSchema = object({
  SWEEP: _default(zEnum(['on', 'off']), 'on'),
  SWEEP_LOOKBACK_HOURS: _default(
    coerce.number().check(gte(SWEEP_LIMITS.lookbackHours.min), lte(SWEEP_LIMITS.lookbackHours.max)),
    SWEEP_LIMITS.lookbackHours.default,
  ),
  SWEEP_MAX_PAGES: _default(
    coerce.number().check(int(), gte(SWEEP_LIMITS.maxPages.min), lte(SWEEP_LIMITS.maxPages.max)),
    SWEEP_LIMITS.maxPages.default,
  ),
  SWEEP_REGIONS: optional(string()),
  SWEEP_POLICY: optional(string()),
  INGRESS_TOPIC_ARN: optional(string()),
  EXTERNAL_ID_SECRET_ARN: optional(string()),
});

export interface SweepSettings {
  /** How far before the request the sweep reads at least (earlier when the request says the compromise was first seen earlier). */
  lookbackHours: number;
  /** LookupEvents pages per region and pass (50 events each, 2 a second; the regions in parallel); what is left, the next tick reads. */
  maxPages: number;
  /** SWEEP_REGIONS; default: every region enabled for the account (DescribeRegions). */
  regions?: string[];
  policy: SweepPolicy;
  /** Where derived containments are published (needed only when the policy contains something). */
  ingress?: { topicArn: string; externalIdSecretArn: string };
}

/** `new-principal=contain,trust-change=contain`: each category's action (`report` if unnamed). */
export function parseSweepPolicy(text: string | undefined): SweepPolicy {
  const policy: SweepPolicy = {};
  for (const part of (text ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [category, action] = part.split('=').map((s) => s.trim());
    if (!CATEGORIES.includes(category as Category) || (action !== 'report' && action !== 'contain'))
      throw new Error(`SWEEP_POLICY: "${part}" is not <category>=report|contain (categories: ${CATEGORIES.join(', ')})`);
    policy[category as Category] = action;
  }
  return policy;
}

/** Reads the sweep's settings (none when `SWEEP=off`); a policy that contains needs the ingress topic and its ExternalId secret. */
export function sweepSettingsFromEnvironment(env: NodeJS.ProcessEnv): SweepSettings | undefined {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`the sweep is not configured: ${formatIssues(parsed.error)}`);
  const e = parsed.data;
  if (e.SWEEP === 'off') return undefined;
  const policy = parseSweepPolicy(e.SWEEP_POLICY);
  const contains = Object.values(policy).includes('contain');
  if (contains && (!e.INGRESS_TOPIC_ARN || !e.EXTERNAL_ID_SECRET_ARN))
    throw new Error('the sweep is not configured: SWEEP_POLICY contains, which needs INGRESS_TOPIC_ARN and EXTERNAL_ID_SECRET_ARN');
  const regions = e.SWEEP_REGIONS?.split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  return {
    lookbackHours: e.SWEEP_LOOKBACK_HOURS,
    maxPages: e.SWEEP_MAX_PAGES,
    ...(regions?.length ? { regions } : {}),
    policy,
    ...(contains ? { ingress: { topicArn: e.INGRESS_TOPIC_ARN!, externalIdSecretArn: e.EXTERNAL_ID_SECRET_ARN! } } : {}),
  };
}
