import { EXIT } from '../errors';

/** Every prerequisite `lockdown preflight` checks, in the order a deployment meets them (`--only` takes these names). */
export const CHECK_NAMES = [
  'bootstrap',
  'principals',
  'security-hub',
  'guardduty',
  'organization',
  'guard-targets',
  'stacksets',
  'member-role',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/** pass: the prerequisite holds; warn: it could not be verified from here, or holds with a caveat; fail: a deployment would fail. */
export type Outcome = 'pass' | 'warn' | 'fail';

/** One line of the report: what was checked, how it went, and the command that fixes it. */
export interface CheckLine {
  check: CheckName;
  outcome: Outcome;
  message: string;
  fix?: string;
}

const RANK: Record<Outcome, number> = { pass: 0, warn: 1, fail: 2 };

/** The worst outcome of the lines (pass when there are none). */
export function overallOutcome(lines: readonly CheckLine[]): Outcome {
  return lines.reduce<Outcome>((worst, line) => (RANK[line.outcome] > RANK[worst] ? line.outcome : worst), 'pass');
}

/** 0 every check passed, 1 a check failed, 4 warnings only (something could not be verified from here). */
export function preflightExitCode(lines: readonly CheckLine[]): number {
  return { pass: EXIT.ok, warn: EXIT.warnings, fail: EXIT.failed }[overallOutcome(lines)];
}

/** The checks `--only` names (comma-separated), or every check; an unknown name is refused. */
export function selectChecks(only: string | undefined): CheckName[] | string {
  if (only === undefined) return [...CHECK_NAMES];
  const names = only
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(CHECK_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0)
    return `--only takes ${CHECK_NAMES.join(', ')} (comma-separated); got "${unknown.join(',') || only}"`;
  return CHECK_NAMES.filter((n) => names.includes(n));
}
