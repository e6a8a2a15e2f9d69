import { _default, array, enum as zEnum, gte, lte, minLength, number, object, string } from 'zod/mini';
import type { z } from 'zod/mini';

export const TRIGGER_DECISIONS = ['contain', 'suggest', 'ignore'] as const;
export type TriggerDecision = (typeof TRIGGER_DECISIONS)[number];

const TriggerRuleSchema = object({
  /** GuardDuty finding types; `*` matches any characters (e.g. `CryptoCurrency:EC2/*`). */
  types: array(string().check(minLength(1))).check(minLength(1)),
  /** GuardDuty severity, 1.0 to 10.0 (Low from 1, Medium from 4, High from 7, Critical from 9). */
  minSeverity: number().check(gte(0), lte(10)),
  decision: zEnum(TRIGGER_DECISIONS),
});
export type TriggerRule = z.infer<typeof TriggerRuleSchema>;

/**
 * Contain at once only what GuardDuty reports with high confidence and lockdown contains
 * narrowly; each rule's reason is in README ("Triggers"). Everything else is suggested.
 */
export const DEFAULT_TRIGGER_RULES: TriggerRule[] = [
  // An instance's role credentials used from outside AWS, or from another account: stolen by
  // definition. Only that session is denied; the instance and other sessions keep working.
  { types: ['UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.*'], minSeverity: 5, decision: 'contain' },
  // Mining and command-and-control traffic from an instance or a function: the workload is
  // compromised; isolation keeps it (and its evidence) for forensics.
  { types: ['CryptoCurrency:EC2/*', 'CryptoCurrency:Lambda/*'], minSeverity: 7, decision: 'contain' },
  { types: ['Backdoor:EC2/C&CActivity.B*', 'Backdoor:Lambda/C&CActivity.B*'], minSeverity: 7, decision: 'contain' },
];

/** The GuardDuty policy (cdk.json `triggers.guardDuty`): the first matching rule decides, else `otherwise`. */
export const TriggerPolicySchema = object({
  rules: _default(array(TriggerRuleSchema), DEFAULT_TRIGGER_RULES),
  otherwise: _default(zEnum(TRIGGER_DECISIONS), 'suggest'),
});
export type TriggerPolicy = z.infer<typeof TriggerPolicySchema>;

const globToRegExp = (glob: string) => new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/** What the policy says of a finding of this type and severity, and which rule said it. */
export function decide(policy: TriggerPolicy, type: string, severity: number): { decision: TriggerDecision; because: string } {
  const index = policy.rules.findIndex((r) => severity >= r.minSeverity && r.types.some((t) => globToRegExp(t).test(type)));
  const rule = policy.rules[index];
  return rule
    ? { decision: rule.decision, because: `rule ${index + 1} (${rule.types.join(', ')}, severity ${rule.minSeverity}+)` }
    : { decision: policy.otherwise, because: "no rule matched: the policy's default" };
}
