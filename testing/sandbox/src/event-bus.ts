/**
 * EventBridge's event-pattern matching, for the local event bus (the drill) and for tests of the
 * patterns the stacks deploy. Semantics as AWS documents them ("Event patterns", "Content
 * filtering"): every field of the pattern must match; a pattern's leaf is an array of values and
 * matchers, any of which may match; an array in the event matches when any element does; exact
 * values, prefix, suffix, equals-ignore-case, anything-but (value, list or prefix), numeric
 * ranges, exists. Checked against AWS's documented examples in event-bus.spec.ts.
 */
export type EventPattern = { [field: string]: EventPattern | unknown[] };

type Scalar = string | number | boolean | null;

function matchesValue(matcher: unknown, value: Scalar): boolean {
  if (matcher === null || typeof matcher !== 'object') return matcher === value;
  const [[operator, operand]] = Object.entries(matcher as Record<string, unknown>) as [[string, unknown]];
  switch (operator) {
    case 'prefix':
      return typeof value === 'string' && typeof operand === 'string' && value.startsWith(operand);
    case 'suffix':
      return typeof value === 'string' && typeof operand === 'string' && value.endsWith(operand);
    case 'equals-ignore-case':
      return typeof value === 'string' && typeof operand === 'string' && value.toLowerCase() === operand.toLowerCase();
    case 'anything-but':
      if (Array.isArray(operand)) return !operand.some((o) => o === value);
      if (operand !== null && typeof operand === 'object') return !matchesValue(operand, value);
      return operand !== value;
    case 'numeric': {
      if (typeof value !== 'number') return false;
      const conditions = operand as Array<string | number>;
      for (let i = 0; i < conditions.length; i += 2) {
        const [op, bound] = [conditions[i] as string, conditions[i + 1] as number];
        const ok = { '=': value === bound, '<': value < bound, '<=': value <= bound, '>': value > bound, '>=': value >= bound }[op];
        if (!ok) return false;
      }
      return true;
    }
    default:
      throw new Error(`the local event bus does not implement the ${operator} matcher`);
  }
}

function matchesLeaf(matchers: unknown[], value: unknown, present: boolean): boolean {
  return matchers.some((matcher) => {
    if (matcher !== null && typeof matcher === 'object' && 'exists' in matcher) return (matcher as { exists: boolean }).exists === present;
    if (!present) return false;
    const values = Array.isArray(value) ? value : [value];
    return values.some((v) => (v === null || typeof v !== 'object') && matchesValue(matcher, v as Scalar));
  });
}

/** Whether an event matches an EventBridge event pattern. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    const holder = event !== null && typeof event === 'object' ? (event as Record<string, unknown>) : {};
    const present = field in holder;
    const value = holder[field];
    if (Array.isArray(expected)) return matchesLeaf(expected, value, present);
    if (!present) return false;
    const values = Array.isArray(value) ? value : [value];
    return values.some((v) => matchesPattern(expected as EventPattern, v));
  });
}

/** An EventBridge bus on the machine: rules (pattern, target) and the events put on it. */
export class LocalEventBus {
  private readonly rules: Array<{ name: string; pattern: EventPattern; target: (event: unknown) => Promise<unknown> }> = [];
  /** Every event put, with the rules it matched. */
  readonly delivered: Array<{ event: unknown; rules: string[] }> = [];

  addRule(name: string, pattern: EventPattern, target: (event: unknown) => Promise<unknown>): void {
    this.rules.push({ name, pattern, target });
  }

  /** Puts one event and waits for every matching rule's target (as an asynchronous invocation would run it). */
  async put(event: unknown): Promise<string[]> {
    const matched = this.rules.filter((r) => matchesPattern(r.pattern, event));
    this.delivered.push({ event, rules: matched.map((r) => r.name) });
    await Promise.all(matched.map((r) => r.target(event)));
    return matched.map((r) => r.name);
  }
}
