/** A named policy document, as authorization's IdentityPolicy (imported, it would make an import circle). */
interface Named {
  name: string;
  policy: unknown;
}

/**
 * The statements of policies that can apply to one action: IAM evaluates a statement only when its
 * `Action` matches the request's action (or its `NotAction` does not), so the others cannot change
 * the decision. Handing iam-simulate only these gives the same decision for a fraction of the work
 * (the member role's policy has 26 statements; a call needs one or two). Kept per document and action.
 */
export function statementsForAction(policies: Named[], action: string): Named[] {
  return policies.flatMap((p) => {
    const narrowed = narrow(p.policy, action);
    return narrowed === null ? [] : [narrowed === p.policy ? p : { name: p.name, policy: narrowed }];
  });
}

/** A permissions boundary narrowed the same way, except that one with no statement for the action is kept whole (it denies it). */
export function boundaryForAction(boundary: Named[] | undefined, action: string): Named[] | undefined {
  if (!boundary) return undefined;
  const narrowed = statementsForAction(boundary, action);
  return narrowed.length > 0 ? narrowed : boundary;
}

const byDocument = new WeakMap<object, Map<string, unknown>>();

/** The document with only the statements that may apply to `action`; the document itself when all may; null when none may. */
function narrow(document: unknown, action: string): unknown {
  if (typeof document !== 'object' || document === null) return document;
  let byAction = byDocument.get(document);
  if (!byAction) byDocument.set(document, (byAction = new Map()));
  if (byAction.has(action)) return byAction.get(action);
  const statements = (document as { Statement?: unknown }).Statement;
  let narrowed: unknown = document;
  // A document iam-simulate may call malformed is left to it whole (its answer for any action: Invalid).
  if (Array.isArray(statements) && statements.every(isWellFormed)) {
    const kept = statements.filter((s) => mayApply(s as Record<string, unknown>, action));
    narrowed = kept.length === statements.length ? document : kept.length === 0 ? null : { ...document, Statement: kept };
  }
  byAction.set(action, narrowed);
  return narrowed;
}

const isWellFormed = (statement: unknown) =>
  typeof statement === 'object' && statement !== null && ['Allow', 'Deny'].includes((statement as { Effect?: string }).Effect ?? '');

const listOf = (value: unknown): unknown[] | undefined => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);

function mayApply(statement: Record<string, unknown>, action: string): boolean {
  const actions = listOf(statement['Action']);
  const notActions = listOf(statement['NotAction']);
  // Neither, both, or a pattern that is not a string: malformed, iam-simulate decides what it means.
  if (!actions === !notActions || [...(actions ?? []), ...(notActions ?? [])].some((a) => typeof a !== 'string')) return true;
  return actions ? actions.some((a) => matches(a as string, action)) : !notActions!.some((a) => matches(a as string, action));
}

const patterns = new Map<string, RegExp>();

/** IAM's action match: case-insensitive, `*` any run of characters, `?` any one. */
function matches(pattern: string, action: string): boolean {
  let regex = patterns.get(pattern);
  if (!regex) {
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    patterns.set(pattern, (regex = new RegExp(`^${source}$`, 'i')));
  }
  return regex.test(action);
}
