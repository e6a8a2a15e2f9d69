/**
 * The README attacker's scorecard, pure: what each escape's attempts and lockdown's answers come
 * to (one outcome per escape and configuration), and what each must come to.
 */
export type Configuration = 'watch only' | 'guard';

/** What AWS answered one of the attacker's calls (see attacker.ts's isRefusal). */
export type CallResult = 'allowed' | 'refused' | 'failed';

export const OUTCOMES = {
  refusedByGuard: 'refused by AWS (guard)',
  refusedByLockdown: (code: string) => `refused by lockdown (${code})`,
  tookEffect: 'took effect',
  putBack: 'took effect, put back by the watch',
  containedAnyway: 'contained anyway',
  ignored: 'ignored',
} as const;

/** The escapes, in the README's order; `guardRefuses`: one AWS can refuse, under the guard. */
export const ESCAPES = {
  'member-role': { title: "take over lockdown's member role", guardRefuses: true },
  'tag-casing': { title: 'untag Lockdown:Containment (other casing)', guardRefuses: true },
  'break-glass-tag': { title: 'tag break-glass LOCKDOWN:CONTAINMENT', guardRefuses: true },
  'lockdown-name': { title: 'hide behind a lockdown-* name', guardRefuses: false },
  'isolation-group': { title: "pre-create lockdown's isolation groups", guardRefuses: false },
  'policy-padding': { title: "pad the function role's inline policies", guardRefuses: false },
  'instance-doors': { title: 'new interface / instance profile', guardRefuses: true },
  'delete-function': { title: 'delete the contained function', guardRefuses: true },
  'release-as-contain': { title: 'release with the contain authority', guardRefuses: false },
  'release-button': { title: 'press the Security Hub release action', guardRefuses: false },
  'sample-findings': { title: 'generate sample findings', guardRefuses: false },
} as const;
export type EscapeId = keyof typeof ESCAPES;

/** One escape tried in one configuration: what came of it, and in what words. */
export interface EscapeRow {
  escape: EscapeId;
  configuration: Configuration;
  outcome: string;
  detail: string;
}

/**
 * What a set of AWS calls came to: refused if every call was refused (by the guard when it is
 * there), took effect if any was allowed (put back if the watch reported it), otherwise failed.
 */
export function callsOutcome(configuration: Configuration, results: CallResult[], putBackByWatch = false): string {
  if (results.length > 0 && results.every((r) => r === 'refused'))
    return configuration === 'guard' ? OUTCOMES.refusedByGuard : 'refused by AWS';
  if (results.includes('allowed')) return putBackByWatch ? OUTCOMES.putBack : OUTCOMES.tookEffect;
  return 'failed';
}

/** What each escape must end as: a fixed outcome, or any refusal by lockdown. */
export function expectedOutcome(escape: EscapeId, configuration: Configuration): string {
  if (configuration === 'guard' && ESCAPES[escape].guardRefuses) return OUTCOMES.refusedByGuard;
  switch (escape) {
    case 'tag-casing':
      return OUTCOMES.putBack;
    case 'member-role':
    case 'break-glass-tag':
    case 'instance-doors':
    case 'delete-function':
      return OUTCOMES.tookEffect;
    case 'lockdown-name':
    case 'policy-padding':
    case 'isolation-group':
      return OUTCOMES.containedAnyway;
    case 'release-as-contain':
      return OUTCOMES.refusedByLockdown('<code>');
    case 'release-button':
    case 'sample-findings':
      return OUTCOMES.ignored;
  }
}

/** Whether a row ended as its escape must in its configuration. */
export function asExpected(row: EscapeRow): boolean {
  const expected = expectedOutcome(row.escape, row.configuration);
  return expected === OUTCOMES.refusedByLockdown('<code>') ? /^refused by lockdown \(\S+\)$/.test(row.outcome) : row.outcome === expected;
}
