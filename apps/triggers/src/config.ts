import { _default, coerce, gte, int, lte, object, optional, string } from 'zod/mini';
import { arnSetting, formatIssues } from '@lockdown/contracts';
import { OCSF_PRODUCTS, OcsfProduct, TriggerPolicy, TriggerPolicySchema } from '@lockdown/findings';
import type { RequestTopics } from '@lockdown/publishing';

const EnvSchema = object({
  INGRESS_TOPIC_ARN: arnSetting('INGRESS_TOPIC_ARN', 'the ARN of the ingress topic'),
  /** Set only when the Security Hub release action is on (triggers.securityHubRelease): the triggers are then a releaser. */
  RELEASE_TOPIC_ARN: optional(arnSetting('RELEASE_TOPIC_ARN', 'the ARN of the release topic')),
  EXTERNAL_ID_SECRET_ARN: arnSetting('EXTERNAL_ID_SECRET_ARN', 'the ARN of the Secrets Manager secret holding the ExternalId'),
  AUDIT_TOPIC_ARN: arnSetting('AUDIT_TOPIC_ARN', 'the ARN of the audit topic'),
  EVENT_BUS_NAME: optional(string()),
  /** The GuardDuty policy as JSON (cdk.json `triggers.guardDuty`); unset: the defaults. */
  GUARDDUTY_POLICY: optional(string()),
  /** The products whose OCSF findings the policy decides, comma-separated (cdk.json `triggers.securityHubV2`); unset: none. */
  OCSF_PRODUCTS: optional(string()),
  AWS_MAX_ATTEMPTS: _default(coerce.number().check(int(), gte(1), lte(10)), 3),
});

export interface TriggersConfig {
  /** The ingress topic and, with the Security Hub release action on, the release topic. */
  topics: RequestTopics;
  externalIdSecretArn: string;
  auditTopicArn: string;
  eventBusName?: string;
  policy: TriggerPolicy;
  ocsfProducts: OcsfProduct[];
  maxAttempts: number;
}

/** Reads and validates the environment once, at cold start; the error names every problem. */
export function loadTriggersConfig(env: NodeJS.ProcessEnv): TriggersConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`triggers is not configured: ${formatIssues(parsed.error)}`);
  const e = parsed.data;
  let policyJson: unknown = {};
  try {
    policyJson = e.GUARDDUTY_POLICY ? JSON.parse(e.GUARDDUTY_POLICY) : {};
  } catch {
    throw new Error('triggers is not configured: GUARDDUTY_POLICY is not JSON');
  }
  const policy = TriggerPolicySchema.safeParse(policyJson);
  if (!policy.success) throw new Error(`triggers is not configured: GUARDDUTY_POLICY: ${formatIssues(policy.error)}`);
  const ocsfProducts = (e.OCSF_PRODUCTS ?? '').split(',').filter(Boolean);
  const unknown = ocsfProducts.filter((p) => !(p in OCSF_PRODUCTS));
  if (unknown.length > 0)
    throw new Error(
      `triggers is not configured: OCSF_PRODUCTS: ${unknown.join(', ')} (lockdown reads ${Object.keys(OCSF_PRODUCTS).join(', ')})`,
    );
  return {
    topics: { ingress: e.INGRESS_TOPIC_ARN, ...(e.RELEASE_TOPIC_ARN ? { release: e.RELEASE_TOPIC_ARN } : {}) },
    externalIdSecretArn: e.EXTERNAL_ID_SECRET_ARN,
    auditTopicArn: e.AUDIT_TOPIC_ARN,
    ...(e.EVENT_BUS_NAME ? { eventBusName: e.EVENT_BUS_NAME } : {}),
    policy: policy.data,
    ocsfProducts: ocsfProducts as OcsfProduct[],
    maxAttempts: e.AWS_MAX_ATTEMPTS,
  };
}
