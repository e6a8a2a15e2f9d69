import { _default, coerce, gte, int, lte, minLength, object, optional, string } from 'zod/mini';
import { Authority, DEFAULT_MEMBER_ROLE_NAME, RequestScope, arnSetting, formatIssues, scopeFromEnvironment } from '@lockdown/contracts';

const EnvSchema = object({
  EXTERNAL_ID_SECRET_ARN: arnSetting('EXTERNAL_ID_SECRET_ARN', 'the ARN of the Secrets Manager secret holding the ExternalId'),
  INGRESS_TOPIC_ARN: arnSetting('INGRESS_TOPIC_ARN', 'the ARN of the ingress topic'),
  RELEASE_TOPIC_ARN: arnSetting('RELEASE_TOPIC_ARN', 'the ARN of the release topic'),
  DISPATCH_TOPIC_ARN: arnSetting('DISPATCH_TOPIC_ARN', 'the ARN of the dispatch topic'),
  AUDIT_TOPIC_ARN: arnSetting('AUDIT_TOPIC_ARN', 'the ARN of the audit topic'),
  ONBOARDED_ACCOUNTS: string({ error: 'ONBOARDED_ACCOUNTS is not set (use "all" or a comma-separated list of account ids)' }),
  PROTECTED_PRINCIPALS: optional(string()),
  MEMBER_ROLE_NAME: _default(string().check(minLength(1)), DEFAULT_MEMBER_ROLE_NAME),
  AWS_MAX_ATTEMPTS: _default(coerce.number().check(int(), gte(1), lte(10)), 3),
});

export interface IntakeConfig extends RequestScope {
  externalIdSecretArn: string;
  /** The topics requests come through, by authority (containment: ingress; release: release). */
  topics: Record<Authority, string>;
  dispatchTopicArn: string;
  auditTopicArn: string;
  maxAttempts: number;
}

/** Reads and validates the environment once, at cold start; the error names every problem. */
export function loadIntakeConfig(env: NodeJS.ProcessEnv): IntakeConfig {
  const parsed = EnvSchema.safeParse(env);
  const problems = parsed.success ? [] : [formatIssues(parsed.error)];
  const { scope, problem } = scopeFromEnvironment(env);
  if (problem) problems.push(problem);
  // One topic for both would make every publisher a releaser.
  if (parsed.success && parsed.data.RELEASE_TOPIC_ARN === parsed.data.INGRESS_TOPIC_ARN)
    problems.push('RELEASE_TOPIC_ARN must not be the ingress topic (release is its own authority)');
  if (!parsed.success || !scope || problems.length > 0) throw new Error(`intake is not configured: ${problems.join('; ')}`);
  const e = parsed.data;
  return {
    externalIdSecretArn: e.EXTERNAL_ID_SECRET_ARN,
    topics: { ingress: e.INGRESS_TOPIC_ARN, release: e.RELEASE_TOPIC_ARN },
    dispatchTopicArn: e.DISPATCH_TOPIC_ARN,
    auditTopicArn: e.AUDIT_TOPIC_ARN,
    ...scope,
    maxAttempts: e.AWS_MAX_ATTEMPTS,
  };
}
