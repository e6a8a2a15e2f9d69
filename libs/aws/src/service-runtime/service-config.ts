import { _default, coerce, gte, int, lte, minLength, object, string } from 'zod/mini';
import { DEFAULT_MEMBER_ROLE_NAME, RequestScope, arnSetting, formatIssues, scopeFromEnvironment } from '@lockdown/contracts';

const EnvSchema = object({
  AUDIT_TOPIC_ARN: arnSetting('AUDIT_TOPIC_ARN', 'a topic ARN'),
  LEDGER_TABLE_NAME: string({ error: 'LEDGER_TABLE_NAME is not set' }).check(minLength(3, { error: 'LEDGER_TABLE_NAME is too short' })),
  MEMBER_ROLE_NAME: _default(string().check(minLength(1)), DEFAULT_MEMBER_ROLE_NAME),
  MEMBER_EXTERNAL_ID: string({ error: 'MEMBER_EXTERNAL_ID is not set (the ExternalId the member role requires)' }).check(
    minLength(2, { error: 'MEMBER_EXTERNAL_ID is too short' }),
  ),
  MAX_RECEIVE_COUNT: _default(coerce.number().check(int(), gte(1), lte(1000)), 5),
  AWS_MAX_ATTEMPTS: _default(coerce.number().check(int(), gte(1), lte(10)), 3),
  /** The event source's maximumConcurrency: the largest lease a container takes of a shared budget is ceil(capacity / it). */
  MAXIMUM_CONCURRENCY: _default(coerce.number().check(int(), gte(1), lte(1000)), 1),
  ONBOARDED_ACCOUNTS: string({ error: 'ONBOARDED_ACCOUNTS is not set (use "all" or a comma-separated list of account ids)' }),
});

export interface ServiceConfig {
  auditTopicArn: string;
  ledgerTableName: string;
  memberRoleName: string;
  memberExternalId: string;
  /** The queue's redrive maxReceiveCount: the last attempt before the DLQ. */
  maxReceiveCount: number;
  maxAttempts: number;
  /** Concurrent invocations of the service at most (its event source's maximumConcurrency). */
  maximumConcurrency: number;
  /** Checked again on receipt: a message that did not come through the intake is refused. */
  scope: RequestScope;
}

/** Reads the settings every containment service shares; the error names every problem. */
export function loadServiceConfig(service: string, env: NodeJS.ProcessEnv): ServiceConfig {
  const parsed = EnvSchema.safeParse(env);
  const problems = parsed.success ? [] : [formatIssues(parsed.error)];
  const { scope, problem } = scopeFromEnvironment(env);
  if (problem) problems.push(problem);
  if (!parsed.success || !scope) throw new Error(`${service} is not configured: ${problems.join('; ')}`);
  const e = parsed.data;
  return {
    auditTopicArn: e.AUDIT_TOPIC_ARN,
    ledgerTableName: e.LEDGER_TABLE_NAME,
    memberRoleName: e.MEMBER_ROLE_NAME,
    memberExternalId: e.MEMBER_EXTERNAL_ID,
    maxReceiveCount: e.MAX_RECEIVE_COUNT,
    maxAttempts: e.AWS_MAX_ATTEMPTS,
    maximumConcurrency: e.MAXIMUM_CONCURRENCY,
    scope,
  };
}
