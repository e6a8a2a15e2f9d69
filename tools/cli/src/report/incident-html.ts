import { AUTHORITIES, type Authority, describeAuthority } from '@lockdown/contracts';
import { escapeHtml } from './escape';
import type { IncidentReport } from './incident-model';
import { htmlPage, legend, table } from './page';
import { TimelineMark, TimelineRow, timelineSvg } from './svg-chart';

const NOT_RECORDED = '<span class="muted">not recorded</span>';
const value = (text: string | undefined) => (text ? escapeHtml(text) : NOT_RECORDED);
const seconds = (s: number) => `${s >= 0 ? '+' : ''}${s.toFixed(1)} s`;
const json = (v: unknown) => `<pre>${escapeHtml(JSON.stringify(v, null, 2))}</pre>`;

/** The authority, in the audit emails' words (a stored name lockdown does not know is shown as it is). */
export const authorityText = (report: Pick<IncidentReport, 'request'>) => {
  const { authority, finding } = report.request;
  if (!authority) return undefined;
  return authority in AUTHORITIES ? describeAuthority(authority as Authority, 'contain', finding) : authority;
};

/** One row per step: its apply bar (`data-step`), and its undo bar (`data-undo`) once released. */
export function incidentRows(report: IncidentReport): TimelineRow[] {
  return report.steps.map((step) => {
    const marks: TimelineMark[] = [];
    if (step.applied)
      marks.push({
        start: step.applied.start,
        end: step.applied.end,
        kind: step.applied.status,
        title: `${step.description}: ${step.applied.status} at ${step.applied.at} (${seconds(step.applied.end)})`,
        data: { step: step.id },
      });
    if (step.undone)
      marks.push({
        start: step.undone.start,
        end: step.undone.end,
        kind: 'undone',
        title: `${step.description}: undone at ${step.undone.at} (${seconds(step.undone.end)})`,
        // A step whose apply the ledger no longer shows (one read, after the release) has its undo as its bar.
        data: step.applied ? { undo: step.id } : { step: step.id, undo: step.id },
      });
    return { label: step.description, marks };
  });
}

/** The incident's chart: one row per step, the moments (received, first effect, contained, tampering, release) across. */
export const incidentChart = (report: IncidentReport) =>
  timelineSvg(
    incidentRows(report),
    report.events.map((e) => ({ at: e.at, label: `${e.label} ${seconds(e.at)}`, kind: e.kind })),
    `Timeline of the containment of ${report.arn}`,
  ) + legend(['applied', 'reapplied', 'skipped', 'failed', 'undone']);

/** The sections of one incident (also used by the drill's report, one per entity). */
export function incidentSections(report: IncidentReport, level = 2): string {
  const h = (text: string) => `<h${level}>${escapeHtml(text)}</h${level}>`;
  const { request } = report;
  const asked = table(
    ['', ''],
    [
      ['Request', escapeHtml(request.requestId)],
      ['Received', `${escapeHtml(report.receivedAt)}`],
      ['Requested by', value(request.requestedBy)],
      ['Authority', value(authorityText(report))],
      ['Reason', value(request.reason)],
      ['Ticket', value(request.ticket)],
      [
        'Finding',
        request.finding
          ? `${escapeHtml(request.finding.id)}<br><span class="muted">${escapeHtml(request.finding.productArn)}</span>`
          : NOT_RECORDED,
      ],
      ['Original state captured', escapeHtml(report.capturedAt)],
      ['Released', report.release ? `${escapeHtml(report.release.at)} by request ${escapeHtml(report.release.requestId)}` : 'not released'],
    ],
  );
  const changes = table(
    ['Stage', 'Step', 'Status', 'Applied', 'Original value (what the undo restores)', 'Undo', 'Undone'],
    report.steps.map((s) => [
      String(s.stage),
      `${escapeHtml(s.description)}<br><span class="muted">${escapeHtml(s.id)}</span>`,
      `${escapeHtml(s.status)}${s.note ? `<br><span class="muted">${escapeHtml(s.note)}</span>` : ''}`,
      s.applied ? `${escapeHtml(s.applied.status)} ${seconds(s.applied.end)}` : NOT_RECORDED,
      json(s.original),
      s.calls.undo.length > 0 ? escapeHtml(s.calls.undo.join(', ')) : '<span class="muted">nothing to undo</span>',
      s.undone ? seconds(s.undone.end) : '',
    ]),
  );
  const trail = table(
    ['When', '', 'Request', 'Event'],
    report.trail.map((e) => [
      escapeHtml(e.at),
      seconds((Date.parse(e.at) - Date.parse(report.receivedAt)) / 1000),
      escapeHtml(e.requestId),
      escapeHtml(e.event),
    ]),
  );
  const audit =
    report.audit.length === 0
      ? ''
      : `${h('Audit records')}${report.audit
          .map(
            (a) => `<details><summary>${escapeHtml(a.when)} ${escapeHtml(a.subject)}</summary><pre>${escapeHtml(a.body)}</pre></details>`,
          )
          .join('')}`;
  return [
    h('Who asked, and why'),
    asked,
    h('Timeline'),
    `<p class="muted">Seconds from the request's receipt. A step's bar runs from when its stage could start to when the ledger recorded it.</p>`,
    incidentChart(report),
    h('What was changed, and what a release restores'),
    changes,
    h("The ledger's trail"),
    trail,
    audit,
  ].join('\n');
}

/** `lockdown report`: one page, no script, nothing fetched. */
export function renderIncidentHtml(report: IncidentReport): string {
  return htmlPage(
    `lockdown report: ${report.arn}`,
    `<h1>Containment of ${escapeHtml(report.entityType)} ${escapeHtml(report.arn)}</h1>
<p class="sub">Status <b>${escapeHtml(report.status)}</b>, cycle ${report.cycle}. Generated from lockdown's ledger.</p>
${incidentSections(report)}`,
  );
}
