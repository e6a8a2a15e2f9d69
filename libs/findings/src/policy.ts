import { _default, array, enum as zEnum, gte, int, lte, minLength, number, object, string } from 'zod/mini';
import type { z } from 'zod/mini';
import { ATTACK_SEQUENCES } from './attack-sequence';

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
  // Attack sequences, one row each: suggested, never contained by default. One finding names a whole
  // attack (every actor, every instance of a group, every bucket): a responder confirms its reach
  // first. Those naming nothing lockdown contains (EKS, ECS clusters) are ignored.
  ...Object.entries(ATTACK_SEQUENCES).map(([type, sequence]): TriggerRule => ({
    types: [type],
    minSeverity: 0,
    decision: 'targets' in sequence ? 'suggest' : 'ignore',
  })),
];

/** At most this many entities are contained at once from one finding; above it the whole finding is suggested. */
export const DEFAULT_MAX_ENTITIES_PER_FINDING = 25;

/** The findings policy (cdk.json `triggers.guardDuty`; it also decides OCSF findings): the first matching rule decides, else `otherwise`. */
export const TriggerPolicySchema = object({
  rules: _default(array(TriggerRuleSchema), DEFAULT_TRIGGER_RULES),
  otherwise: _default(zEnum(TRIGGER_DECISIONS), 'suggest'),
  /** A finding the policy contains that names more entities than this is suggested whole (an attack sequence can name hundreds). */
  maxEntitiesPerFinding: _default(number().check(int(), gte(1), lte(400)), DEFAULT_MAX_ENTITIES_PER_FINDING),
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
