import { Category } from './persistence-table';
import { SweepFinding } from './finding';

/** What lockdown does with a finding of a category: report it (the default) or contain what it names. */
export type SweepAction = 'report' | 'contain';
export type SweepPolicy = Partial<Record<Category, SweepAction>>;

/** An entity to contain through the intake, like any request, and the finding it comes from. */
export interface DerivedContainment {
  arn: string;
  eventId: string;
  reason: string;
}

/** At most this many containments from one sweep; the rest is reported (an attacker's thousand planted users do not become a thousand containments). */
export const MAX_DERIVED_CONTAINMENTS = 10;

/**
 * Categories whose entities the attacker picks among the defender's own: a policy attached to or put
 * on a principal names that principal (the defender's CI or response role, if the attacker chose
 * it). They are reported, never contained, whatever the policy says.
 */
export const REPORT_ONLY_CATEGORIES: readonly Category[] = ['privilege-escalation'];

/** Whether the policy sends a category's findings to containment (a report-only category never). */
export const policyContains = (policy: SweepPolicy, category: Category) =>
  (policy[category] ?? 'report') === 'contain' && !REPORT_ONLY_CATEGORIES.includes(category);

/**
 * The containments a policy asks for: a created user or role, a key for another user (its user:
 * lockdown has no per-key entity; the iam-user containment deactivates every key of that user), a
 * role whose trust now names an outside account, a launched instance, a created function. What has
 * no containment (an opened security group rule, a stopped trail, a shared snapshot) is reported only,
 * as is a principal a policy was attached to; at most MAX_DERIVED_CONTAINMENTS.
 */
export function containmentsOf(
  findings: SweepFinding[],
  policy: SweepPolicy,
  accountId: string,
  partition = 'aws',
  /** The swept identity itself: its own containment is the one being swept (a derived one would undo its release). */
  self?: string,
): DerivedContainment[] {
  const out = new Map<string, DerivedContainment>();
  for (const finding of findings) {
    if (!policyContains(policy, finding.category)) continue;
    for (const entity of finding.entities) {
      const arn =
        entity.kind === 'iam-user'
          ? `arn:${partition}:iam::${accountId}:user/${entity.id}`
          : entity.kind === 'iam-access-key' && entity.owner
            ? `arn:${partition}:iam::${accountId}:user/${entity.owner}`
            : entity.kind === 'iam-role'
              ? `arn:${partition}:iam::${accountId}:role/${entity.id}`
              : entity.kind === 'ec2-instance'
                ? `arn:${partition}:ec2:${finding.region}:${accountId}:instance/${entity.id}`
                : entity.kind === 'lambda-function'
                  ? entity.id.startsWith('arn:')
                    ? entity.id
                    : `arn:${partition}:lambda:${finding.region}:${accountId}:function:${entity.id}`
                  : undefined;
      if (arn && arn !== self && !out.has(arn))
        out.set(arn, { arn, eventId: finding.eventId, reason: `${finding.category}: ${finding.reason}` });
    }
  }
  return [...out.values()].slice(0, MAX_DERIVED_CONTAINMENTS);
}
