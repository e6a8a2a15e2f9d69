import type { CampaignReport } from '../adversary/campaign';
import type { Check } from '../checks';
import type { AuditEmail } from '../local-pipeline';
import type { DrillReport } from '../run-drill';
import { adversarySection } from './adversary-html';
import { escapeHtml } from '@lockdown/cli';
import { incidentSections } from '@lockdown/cli';
import { buildIncidentReport } from '@lockdown/cli';
import { htmlPage, table } from '@lockdown/cli';

const checksTable = (checks: Check[]) =>
  table(
    ['', 'Check', 'Detail'],
    checks.map((c) => [c.ok ? 'PASS' : '<b>FAIL</b>', escapeHtml(c.name), c.ok ? '' : `<pre>${escapeHtml(c.detail ?? '')}</pre>`]),
  );

/** The audit emails about one entity (the emails name it on their `ARN:` line). */
const emailsAbout = (arn: string, emails: AuditEmail[]) =>
  emails
    .filter((e) => /^ARN:\s+(\S+)/m.exec(e.body)?.[1] === arn)
    .map((e) => ({ when: `${(e.at / 1000).toFixed(1)} s into the drill`, subject: e.subject, body: e.body }));

/** `npm run drill -- --report`: the checks, then each contained entity's timeline from its ledger (contained, tampered, released). */
export function renderDrillHtml(report: DrillReport): string {
  const passed = report.checks.filter((c) => c.ok).length;
  return htmlPage(
    'lockdown drill',
    [
      `<h1>lockdown drill: ${report.passed ? 'PASSED' : 'FAILED'}</h1>`,
      `<p class="sub">${passed} of ${report.checks.length} checks passed in ${(report.durationMs / 1000).toFixed(1)} s; member account ${escapeHtml(report.memberAccount)} (${escapeHtml(report.mode)}).</p>`,
      '<h2>Checks</h2>',
      checksTable(report.checks),
      ...report.ledgers.map((reads) => {
        const incident = buildIncidentReport(reads, emailsAbout(reads[0]!.arn, report.emails));
        return `<h2>${escapeHtml(incident.entityType)} ${escapeHtml(incident.arn)}</h2>\n${incidentSections(incident, 3)}`;
      }),
    ].join('\n'),
  );
}

/** `npm run drill -- --adversary --report`: the attempts per entity and configuration, the scorecard, and the checks. */
export function renderAdversaryHtml(reports: CampaignReport[], propagationSeconds: number): string {
  const failed = reports.filter((r) => !r.passed).map((r) => r.configuration);
  return htmlPage(
    'lockdown adversarial drill',
    [
      `<h1>lockdown adversarial drill: ${failed.length === 0 ? 'PASSED' : `FAILED (${escapeHtml(failed.join(', '))})`}</h1>`,
      adversarySection(reports, propagationSeconds),
      ...reports.map((r) => `<h2>Checks (${escapeHtml(r.configuration)})</h2>${checksTable(r.checks)}`),
    ].join('\n'),
  );
}
