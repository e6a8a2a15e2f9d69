import { escapeMarkdown as md } from './escape';
import { authorityText } from './incident-html';
import type { IncidentReport } from './incident-model';

const seconds = (s: number) => `${s >= 0 ? '+' : ''}${s.toFixed(1)} s`;
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const tableOf = (headers: string[], rows: string[][]) => [row(headers), row(headers.map(() => '---')), ...rows.map(row)].join('\n');

/** `lockdown report --format markdown`: the same report for a ticket (tables, no picture). */
export function renderIncidentMarkdown(report: IncidentReport): string {
  const { request } = report;
  const recorded = (text: string | undefined) => (text ? md(text) : '_not recorded_');
  return [
    `# Containment of ${md(report.entityType)} ${md(report.arn)}`,
    '',
    `Status **${md(report.status)}**, cycle ${report.cycle}. Generated from lockdown's ledger; times are seconds from the request's receipt.`,
    '',
    '## Who asked, and why',
    '',
    tableOf(
      ['', ''],
      [
        ['Request', md(request.requestId)],
        ['Received', md(report.receivedAt)],
        ['Requested by', recorded(request.requestedBy)],
        ['Authority', recorded(authorityText(report))],
        ['Reason', recorded(request.reason)],
        ['Ticket', recorded(request.ticket)],
        ['Finding', request.finding ? `${md(request.finding.id)} (${md(request.finding.productArn)})` : '_not recorded_'],
        ['Released', report.release ? `${md(report.release.at)} by request ${md(report.release.requestId)}` : 'not released'],
      ],
    ),
    '',
    '## Timeline',
    '',
    ...report.events.map((e) => `- ${seconds(e.at)} ${md(e.label)} (${md(e.iso)})`),
    '',
    '## What was changed, and what a release restores',
    '',
    tableOf(
      ['Stage', 'Step', 'Status', 'Applied', 'Original value', 'Undo', 'Undone'],
      report.steps.map((s) => [
        String(s.stage),
        md(s.description),
        `${md(s.status)}${s.note ? `: ${md(s.note)}` : ''}`,
        s.applied ? `${md(s.applied.status)} ${seconds(s.applied.end)}` : '_not recorded_',
        md(JSON.stringify(s.original)),
        s.calls.undo.length > 0 ? md(s.calls.undo.join(', ')) : 'nothing to undo',
        s.undone ? seconds(s.undone.end) : '',
      ]),
    ),
    '',
    "## The ledger's trail",
    '',
    tableOf(
      ['When', 'Request', 'Event'],
      report.trail.map((e) => [md(e.at), md(e.requestId), md(e.event)]),
    ),
    '',
  ].join('\n');
}
