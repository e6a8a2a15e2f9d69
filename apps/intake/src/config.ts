import { _default, coerce, gte, int, lte, minLength, object, optional, refine, startsWith, string } from 'zod/mini';
import { DEFAULT_MEMBER_ROLE_NAME, builtInProtectedPatterns } from '@lockdown/contracts';

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

const arn = (name: string, what: string) =>
  string({ error: `${name} is not set` }).check(startsWith('arn:', { error: `${name} must be ${what}` }));

const EnvSchema = object({
  EXTERNAL_ID_SECRET_ARN: arn('EXTERNAL_ID_SECRET_ARN', 'the ARN of the Secrets Manager secret holding the ExternalId'),
  DISPATCH_TOPIC_ARN: arn('DISPATCH_TOPIC_ARN', 'the ARN of the dispatch topic'),
  AUDIT_TOPIC_ARN: arn('AUDIT_TOPIC_ARN', 'the ARN of the audit topic'),
  ONBOARDED_ACCOUNTS: string({ error: 'ONBOARDED_ACCOUNTS is not set (use "all" or a comma-separated list of account ids)' }).check(
    refine((value) => value.trim() === 'all' || list(value).every((id) => /^\d{12}$/.test(id)), {
      error: 'ONBOARDED_ACCOUNTS must be "all" or a comma-separated list of 12-digit account ids',
    }),
  ),
  PROTECTED_PRINCIPALS: optional(string()),
  MEMBER_ROLE_NAME: _default(string().check(minLength(1)), DEFAULT_MEMBER_ROLE_NAME),
  AWS_MAX_ATTEMPTS: _default(coerce.number().check(int(), gte(1), lte(10)), 3),
});

export interface IntakeConfig {
  externalIdSecretArn: string;
  dispatchTopicArn: string;
  auditTopicArn: string;
  onboardedAccounts: 'all' | ReadonlySet<string>;
  protectedPatterns: string[];
  maxAttempts: number;
}

/** Reads and validates the environment once, at cold start; the error names every problem. */
export function loadIntakeConfig(env: NodeJS.ProcessEnv): IntakeConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`.replace(/^(\w+): \1 /, '$1 '));
    throw new Error(`intake is not configured: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    externalIdSecretArn: e.EXTERNAL_ID_SECRET_ARN,
    dispatchTopicArn: e.DISPATCH_TOPIC_ARN,
    auditTopicArn: e.AUDIT_TOPIC_ARN,
    onboardedAccounts: e.ONBOARDED_ACCOUNTS.trim() === 'all' ? 'all' : new Set(list(e.ONBOARDED_ACCOUNTS)),
    protectedPatterns: [...builtInProtectedPatterns(e.MEMBER_ROLE_NAME), ...list(e.PROTECTED_PRINCIPALS)],
    maxAttempts: e.AWS_MAX_ATTEMPTS,
  };
}
