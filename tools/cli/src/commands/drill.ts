import { CliError, EXIT } from '../errors';
import { Output } from '../output';
import { DrillReport, TamperScore, runAdversaryDrills, runDrill } from '../drill/run-drill';

export interface DrillCommandOptions {
  endpoint?: string;
  untrackedWindow: string;
  timeout: string;
  emails?: boolean;
  guard?: boolean;
  adversary?: boolean;
}

/** `lockdown drill`: the whole pipeline locally; exit 0 only if every check passed. */
export async function runDrillCommand(options: DrillCommandOptions, output: Output): Promise<number> {
  if (options.adversary) {
    if (options.endpoint || options.guard)
      throw new CliError('--adversary runs the sandbox twice (without and with the guard): no --endpoint or --guard', EXIT.invalidInput);
    const reports = await runAdversaryDrills({
      untrackedWindowSeconds: Number(options.untrackedWindow),
      timeoutSeconds: Number(options.timeout),
      progress: (text) => output.progress(text),
    });
    output.result({ adversary: reports }, () => {
      for (const report of reports) printReport(report, output, false);
      output.line('\nScorecard: the attacker (a second administrator) against each configuration');
      printScorecard(
        reports.flatMap((r) => (r.tamper ? [r.tamper] : [])),
        output,
      );
    });
    return reports.every((r) => r.passed) ? EXIT.ok : EXIT.failed;
  }
  const report = await runDrill({
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    untrackedWindowSeconds: Number(options.untrackedWindow),
    timeoutSeconds: Number(options.timeout),
    ...(options.guard ? { guard: true } : {}),
    progress: (text) => output.progress(text),
  });
  output.result(report, () => printReport(report, output, options.emails !== false));
  return report.passed ? EXIT.ok : EXIT.failed;
}

/** One line per configuration: attempts, refused, took effect, undone by the watch, seconds exposed. */
export function printScorecard(scores: TamperScore[], output: Output): void {
  output.line(`  ${'configuration'.padEnd(12)} attempts  refused  took effect  undone by watch  exposed`);
  for (const t of scores)
    output.line(
      `  ${t.configuration.padEnd(12)} ${String(t.attempts).padStart(8)} ${String(t.refused).padStart(8)} ${String(t.succeeded).padStart(12)} ${String(t.undoneByWatch).padStart(16)}  ${t.secondsExposed !== undefined ? `${t.secondsExposed} s` : '0 s'}`,
    );
}

function printReport(report: DrillReport, output: Output, emails: boolean): void {
  if (emails) {
    output.line('\nAudit emails that would have been sent:');
    for (const email of report.emails) {
      output.line(`\n---- ${(email.at / 1000).toFixed(1)} s ---- Subject: ${email.subject}`);
      output.line(email.body.replace(/^/gm, '  '));
    }
  }
  output.line('\nTimeline:');
  for (const email of report.emails) output.line(`  ${(email.at / 1000).toFixed(1).padStart(5)} s  ${email.subject}`);
  output.line('\nEvent sources (batches / records / failed records):');
  for (const [name, stats] of Object.entries(report.pollers))
    output.line(`  ${name.padEnd(16)} ${stats.batches} / ${stats.records} / ${stats.failures}`);
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
