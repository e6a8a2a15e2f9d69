import { writeFileSync } from 'node:fs';
import { descriptorOf } from '@lockdown/services';
import { CliError, EXIT } from '@lockdown/cli';
import { formatTable } from '@lockdown/cli';
import { Output } from '@lockdown/cli';
import { CampaignReport, runAdversary } from './adversary/campaign';
import { DRILL_SWEEP_POLICY } from './adversary/persistence';
import { ESCAPES } from './adversary/escape-verdict';
import { ReadmeAttackerReport, runReadmeAttackers } from './adversary/readme-attacker';
import { DrillReport, runDrill } from './run-drill';
import { renderAdversaryHtml, renderDrillHtml } from './report/drill-html';

export interface DrillCommandOptions {
  endpoint?: string;
  untrackedWindow: string;
  timeout: string;
  emails?: boolean;
  guard?: boolean;
  adversary?: boolean;
  propagationDelay?: string;
  /** Write the drill's HTML report there. */
  report?: string;
}

const isNumber = (text: string) => /^\s*-?\d+(\.\d+)?\s*$/.test(text);

/** Every option checked before an emulator starts: a mistake costs one line and exit 2, never a half-run drill. */
export function checkDrillOptions(options: DrillCommandOptions): { untrackedWindow: number; timeout: number; propagation: number } {
  const refuse = (message: string) => new CliError(`${message}; nothing was started`, EXIT.invalidInput);
  const untrackedWindow = Number(options.untrackedWindow);
  const window = descriptorOf('ec2-isolation').settings.safeParse({ untrackedWindowSeconds: untrackedWindow });
  if (!isNumber(options.untrackedWindow) || !window.success)
    throw refuse(`--untracked-window must be a whole number of seconds from 0 to 900, got "${options.untrackedWindow}"`);
  const timeout = Number(options.timeout);
  if (!isNumber(options.timeout) || !(timeout > 0))
    throw refuse(`--timeout must be a positive number of seconds, got "${options.timeout}"`);
  if (options.propagationDelay !== undefined && !options.adversary) throw refuse('--propagation-delay applies to --adversary only');
  if (options.adversary && (options.endpoint || options.guard))
    throw refuse('--adversary runs the sandbox twice (without and with the guard): no --endpoint or --guard');
  const propagation = options.propagationDelay === undefined ? DEFAULT_PROPAGATION_SECONDS : Number(options.propagationDelay);
  if (!isNumber(options.propagationDelay ?? '0') || !(propagation >= 0 && propagation <= 60))
    throw refuse(`--propagation-delay must be 0 to 60 seconds, got "${options.propagationDelay}"`);
  return { untrackedWindow, timeout, propagation };
}

/** The adversarial drill's watch schedule: the product's first tick (+5 s), then one more, so a run takes seconds. */
export const ADVERSARY_WATCH_SCHEDULE = [5, 10];
/** IAM's propagation delay the adversarial drill models by default (about 4 s, measured in us-east-1 and eu-central-1). */
export const DEFAULT_PROPAGATION_SECONDS = 4;
/** How often each attacker reads and undoes, as published research polls (OffensAI's "notyet"). */
export const ADVERSARY_POLL_MS = 500;

/** `npm run drill`: the whole pipeline locally; exit 0 only if every check passed. */
export async function runDrillCommand(options: DrillCommandOptions, output: Output): Promise<number> {
  const checked = checkDrillOptions(options);
  if (options.adversary) {
    const propagationSeconds = checked.propagation;
    const reports = await runAdversary({
      propagationSeconds,
      watchSchedule: ADVERSARY_WATCH_SCHEDULE,
      pollMs: ADVERSARY_POLL_MS,
      timeoutSeconds: checked.timeout,
      progress: output.progressOf(),
    });
    const escapes = await runReadmeAttackers({
      watchSchedule: ADVERSARY_WATCH_SCHEDULE,
      timeoutSeconds: checked.timeout,
      progress: output.progressOf(),
    });
    if (options.report) writeReport(options.report, renderAdversaryHtml(reports, propagationSeconds), output);
    output.result({ adversary: reports, escapes }, () => {
      for (const report of [...reports, ...escapes.map((e) => ({ ...e, configuration: `README attacker, ${e.configuration}` }))]) {
        output.line(`\nChecks (${report.configuration}):`);
        for (const check of report.checks)
          output.line(`  ${check.ok ? 'PASS' : 'FAIL'}  ${check.name}${!check.ok && check.detail ? `\n        ${check.detail}` : ''}`);
      }
      printScorecard(reports, propagationSeconds, output);
      printPersistence(reports, output);
      printEscapes(escapes, output);
      const failed = [
        ...reports.filter((r) => !r.passed).map((r) => r.configuration),
        ...escapes.filter((r) => !r.passed).map((r) => `README attacker, ${r.configuration}`),
      ];
      output.line(`\nAdversarial drill ${failed.length === 0 ? 'PASSED' : `FAILED (${failed.join(', ')})`}`);
    });
    return [...reports, ...escapes].every((r) => r.passed) ? EXIT.ok : EXIT.failed;
  }
  const report = await runDrill({
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    untrackedWindowSeconds: checked.untrackedWindow,
    timeoutSeconds: checked.timeout,
    ...(options.guard ? { guard: true } : {}),
    progress: output.progressOf(),
  });
  if (options.report) writeReport(options.report, renderDrillHtml(report), output);
  output.result(report, () => printReport(report, output, options.emails === true));
  return report.passed ? EXIT.ok : EXIT.failed;
}

function writeReport(file: string, html: string, output: Output): void {
  writeFileSync(file, html);
  output.progress(`report: ${file}`);
}

/** What the attacker left before containment, per configuration: found by the sweep (its CloudTrail event) and contained per the policy. */
function printPersistence(reports: CampaignReport[], output: Output): void {
  output.line(
    `\nPersistence sweep: the doors the attacker left with the user's stolen key before containment (policy ${DRILL_SWEEP_POLICY}).`,
  );
  const rows = reports.flatMap((r) =>
    r.persistence.map((p) => [p.item, r.configuration, p.eventId ? 'found' : 'not found', p.category ?? '', p.contained, p.eventId ?? '']),
  );
  for (const line of formatTable(['door', 'configuration', 'sweep', 'category', 'contained', 'CloudTrail event'], rows, { indent: 2 }))
    output.line(line);
}

/** The adversarial drill's scorecard: per entity, one line per configuration. */
export function printScorecard(reports: CampaignReport[], propagationSeconds: number, output: Output): void {
  const seconds = (value: number | null) => (value === null ? 'never' : `${value} s`);
  output.line(
    `\nScorecard: per entity, an attacker with its own stolen credentials and one with a second administrator, each polling every ${ADVERSARY_POLL_MS / 1000} s;`,
  );
  output.line(
    `IAM propagation ${propagationSeconds} s; tamper watch at ${ADVERSARY_WATCH_SCHEDULE.map((t) => `+${t}`).join(', ')} s. Times from the request.`,
  );
  const entities = [...new Set(reports.flatMap((r) => r.scores.map((s) => s.entity)))];
  const rows = entities.flatMap((entity) =>
    reports
      .flatMap((r) => r.scores.filter((x) => x.entity === entity))
      .map((s) => [
        s.entity,
        s.configuration,
        seconds(s.containedSeconds),
        seconds(s.heldSeconds),
        s.attempts,
        s.blocked,
        s.tookEffect,
        s.putBack,
        seconds(s.exposedSeconds),
      ]),
  );
  for (const line of formatTable(
    ['entity', 'configuration', 'contained', 'held', 'attempts', 'blocked', 'took effect', 'put back', 'exposed'],
    rows,
    { indent: 2 },
  ))
    output.line(line);
}

/** The README attacker's scorecard: per escape, one line per configuration. */
export function printEscapes(reports: ReadmeAttackerReport[], output: Output): void {
  output.line('\nThe README attacker: a second administrator made before containment tries each escape the README makes visible.');
  const rows = Object.keys(ESCAPES).flatMap((escape, i) =>
    reports
      .flatMap((r) => r.rows.filter((row) => row.escape === escape))
      .map((row) => [`${i + 1}. ${ESCAPES[row.escape].title}`, row.configuration, row.outcome, row.detail]),
  );
  for (const line of formatTable(['escape', 'configuration', 'outcome', 'detail'], rows, { indent: 2 })) output.line(line);
}

/** The drill's report for people: the timeline once, the audit emails only when asked (--emails). */
export function printReport(report: DrillReport, output: Output, emails: boolean): void {
  if (emails) {
    output.line('\nAudit emails that would have been sent:');
    for (const email of report.emails) {
      output.line(`\n---- ${(email.at / 1000).toFixed(1)} s ---- Subject: ${email.subject}`);
      output.line(email.body.replace(/^/gm, '  '));
    }
  }
  output.line('\nTimeline:');
  for (const email of report.emails) output.line(`  ${(email.at / 1000).toFixed(1).padStart(5)} s  ${email.subject}`);
  output.line('\nEvent sources:');
  const sources = Object.entries(report.pollers).map(([name, stats]) => [name, stats.batches, stats.records, stats.failures]);
  for (const line of formatTable(['source', 'batches', 'records', 'failed records'], sources, { indent: 2 })) output.line(line);
  output.line(`\nChecks (member account ${report.memberAccount}, ${report.mode}):`);
  for (const check of report.checks)
    output.line(`  ${check.ok ? 'PASS' : 'FAIL'}  ${check.name}${!check.ok && check.detail ? `\n        ${check.detail}` : ''}`);
  if (report.tamper) {
    const t = report.tamper;
    output.line(`\nTampering after containment (${t.configuration}):`);
    output.line(
      `  ${t.attempts} attempts, ${t.refused} refused by AWS, ${t.succeeded} took effect, ${t.undoneByWatch} undone by the tamper watch${t.secondsExposed !== undefined ? `, exposed ${t.secondsExposed} s` : ''}`,
    );
  }
  const passed = report.checks.filter((c) => c.ok).length;
  output.line(
    `\nDrill ${report.passed ? 'PASSED' : 'FAILED'}: ${passed} of ${report.checks.length} checks passed in ${(report.durationMs / 1000).toFixed(1)} s`,
  );
}
