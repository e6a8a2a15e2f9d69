import { CATEGORIES, Category, Entity } from './persistence-table';
import { SweepFinding } from './finding';
import { SweepPolicy, policyContains } from './sweep-policy';

/**
 * At most this many findings a sweep's report lists (its record, event, email and the ledger's copy):
 * an attacker makes a thousand findings cheaply, and a report of them all exceeds SNS's and
 * EventBridge's 256 KB and DynamoDB's 400 KB item. The rest are counted by category, and reported.
 */
export const MAX_REPORTED_FINDINGS = 100;
/** The longest text a listed finding carries in one field (a reason naming a thousand accounts is cut). */
export const MAX_FINDING_TEXT = 200;
/** The entities a listed finding names; the rest are counted. */
export const MAX_LISTED_ENTITIES = 4;

/** The findings of a category a report counts but does not list. */
export interface MoreFindings {
  category: Category;
  count: number;
}

/**
 * The findings a report lists, at most `max`: first those sent to containment (`contained`, event ids),
 * then those of a category the policy contains, then by category (`CATEGORIES` is in order of
 * severity), then the newest; listed in the order given (oldest first). The others are counted per category, in that order.
 */
export function capFindings(
  findings: readonly SweepFinding[],
  contained: ReadonlySet<string>,
  policy: SweepPolicy,
  max = MAX_REPORTED_FINDINGS,
): { listed: SweepFinding[]; more: MoreFindings[] } {
  const rank = (f: SweepFinding) => (contained.has(f.eventId) ? 0 : policyContains(policy, f.category) ? 1 : 2);
  const ranked = [...findings].sort(
    (a, b) =>
      rank(a) - rank(b) || CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category) || b.eventTime.localeCompare(a.eventTime),
  );
  const counts = new Map<Category, number>();
  for (const f of ranked.slice(Math.max(0, max))) counts.set(f.category, (counts.get(f.category) ?? 0) + 1);
  // Listed in the order they came (oldest first, CloudTrail's ties of whole seconds as they happened).
  const kept = new Set(ranked.slice(0, Math.max(0, max)));
  return {
    listed: findings.filter((f) => kept.has(f)),
    more: [...counts].map(([category, count]) => ({ category, count })),
  };
}

/** A text cut to `MAX_FINDING_TEXT` characters (an ellipsis says it was). */
export const clip = (text: string): string => (text.length <= MAX_FINDING_TEXT ? text : `${text.slice(0, MAX_FINDING_TEXT - 1)}…`);

/** A finding's entities as a report lists them: `<kind> <id>` (of its owner, with its detail), at most `MAX_LISTED_ENTITIES`, cut. */
export function listedEntities(entities: readonly Entity[]): string[] {
  const listed = entities
    .slice(0, MAX_LISTED_ENTITIES)
    .map((e) => clip(`${e.kind} ${e.id}${e.owner ? ` of ${e.owner}` : ''}${e.detail ? ` (${e.detail})` : ''}`));
  const rest = entities.length - listed.length;
  return rest > 0 ? [...listed, `and ${rest} more`] : listed;
}
