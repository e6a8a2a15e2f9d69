import { EXIT } from '../errors';
import { Output } from '../output';
import { DrillReport, runDrill } from '../drill/run-drill';

export interface DrillCommandOptions {
  endpoint?: string;
  untrackedWindow: string;
  timeout: string;
  emails?: boolean;
}

/** `lockdown drill`: the whole pipeline locally; exit 0 only if every check passed. */
export async function runDrillCommand(options: DrillCommandOptions, output: Output): Promise<number> {
  const report = await runDrill({
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    untrackedWindowSeconds: Number(options.untrackedWindow),
    timeoutSeconds: Number(options.timeout),
    progress: (text) => output.progress(text),
  });
  output.result(report, () => printReport(report, output, options.emails !== false));
  return report.passed ? EXIT.ok : EXIT.failed;
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
  const passed = report.checks.filter((c) => c.ok).length;
  output.line(
    `\nDrill ${report.passed ? 'PASSED' : 'FAILED'}: ${passed} of ${report.checks.length} checks passed in ${(report.durationMs / 1000).toFixed(1)} s`,
  );
}
