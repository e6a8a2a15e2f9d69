import type { OrgFigures, OrgRun } from '../org';
import { escapeHtml } from '@lockdown/cli';
import { table } from '@lockdown/cli';

const p = (pair: { p50: number; p99: number }) => `${pair.p50} s / ${pair.p99} s`;

/** `npm run bench -- --org --report`: fair queues and oldest first, side by side. */
export function orgSection(org: OrgFigures): string {
  const { requests } = org;
  const rows: Array<[string, (r: OrgRun) => string]> = [
    ['Total', (r) => `${r.totalSeconds} s`],
    ['Lower bound (busiest account and region)', (r) => `${r.lowerBoundSeconds} s (${r.bottleneck})`],
    ['Ratio (goal ≤ 1.1)', (r) => String(r.ratio)],
    ['Flood dispatched by the intake after (the quiet requests arrive after it)', (r) => `${r.floodDispatchedSeconds} s`],
    ['Quiet: to first effect, p50 / p99 (goal p99 ≤ 5 s)', (r) => p(r.quiet.firstEffect)],
    ['Quiet: to CONTAINED, p50 / p99 (goal p99 ≤ 5 s; an instance adds its untracked window)', (r) => p(r.quiet.contained)],
    ['Throttling errors by account', (r) => JSON.stringify(r.throttlingErrors)],
    ['Lost', (r) => String(r.lost)],
    ['Dead-lettered', (r) => String(r.deadLettered)],
  ];
  return [
    '<h2>Organization scale</h2>',
    `<p class="muted">${escapeHtml(requests.total)} requests: ${escapeHtml(requests.flood)} from one account and region at once, ${escapeHtml(requests.quiet)} from ${escapeHtml(requests.accounts - 1)} other accounts while it runs, across ${escapeHtml(requests.regions.length)} regions; the sandbox enforcing each account and region's budgets at ${escapeHtml(org.latencyMs)} ms per call.</p>`,
    table(
      ['', ...org.runs.map((r) => (r.fair ? 'Fair queues (by account)' : 'Oldest first'))],
      rows.map(([name, value]) => [name, ...org.runs.map(value)]),
    ),
  ].join('\n');
}
