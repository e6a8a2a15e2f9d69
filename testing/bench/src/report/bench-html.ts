import type { MassFigures } from '../mass';
import type { CampaignReport } from '@lockdown/drill';
import type { OrgFigures } from '../org';
import { adversarySection } from '@lockdown/drill';
import { orgSection } from './org-html';
import { escapeHtml } from '@lockdown/cli';
import { htmlPage, table } from '@lockdown/cli';
import { LinePoint, lineChartSvg } from '@lockdown/cli';

/**
 * The most entities the rate limit lets be contained by each moment: the bottleneck's bucket allows
 * capacity + refill × t calls by time t, and each entity needed its share of the calls the run made.
 */
export function rateLimitBound(mass: MassFigures): LinePoint[] {
  const total = Object.values(mass.requests).reduce((a, b) => a + b, 0);
  const needed = Object.values(mass.bottleneckCalls).reduce((a, b) => a + b, 0);
  const { capacity, refillPerSecond } = mass.bottleneckLimit;
  const at = (t: number) => Math.min(total, Math.floor((total * (capacity + refillPerSecond * t)) / Math.max(needed, 1)));
  const full = Math.max(0, (needed - capacity) / refillPerSecond);
  const end = Math.max(full, mass.containedOverTime.at(-1) ?? 0, mass.totalSeconds);
  return [
    { x: 0, y: at(0) },
    { x: full, y: total },
    { x: end, y: total },
  ];
}

/** Contained entities over time: one step up per CONTAINED report. */
export const containedCurve = (mass: MassFigures): LinePoint[] => [
  { x: 0, y: 0 },
  ...mass.containedOverTime.flatMap((t, i) => [
    { x: t, y: i },
    { x: t, y: i + 1 },
  ]),
];

/** `npm run bench -- --report`: the mass run as contained-over-time against the rate-limit bound, and the adversarial scorecard. */
export function renderBenchHtml(figures: {
  mass?: MassFigures;
  tamper?: CampaignReport[];
  org?: OrgFigures;
  propagationSeconds: number;
}): string {
  const { mass, tamper, org } = figures;
  const massSection = mass
    ? [
        '<h2>Mass containment</h2>',
        `<p class="muted">${escapeHtml(Object.values(mass.requests).reduce((a, b) => a + b, 0))} requests through the local pipeline under AWS's rate limits, in real time. The bound: what the bottleneck, ${escapeHtml(mass.bottleneck)}, allows at best by each moment (its burst, then its refill rate), with the calls spread evenly over the entities; it reaches every entity at the run's lower bound.</p>`,
        lineChartSvg(
          [
            { label: 'contained (CONTAINED reports)', kind: 'contained', points: containedCurve(mass) },
            { label: `rate-limit bound (${mass.lowerBoundSeconds} s)`, kind: 'bound', points: rateLimitBound(mass) },
          ],
          { x: 'seconds from the first publish', y: 'entities contained' },
        ),
        table(
          ['Total', 'Lower bound', 'Ratio', 'Lost', 'Dead-lettered', 'Redeliveries'],
          [
            [
              `${mass.totalSeconds} s`,
              `${mass.lowerBoundSeconds} s`,
              String(mass.ratio),
              String(mass.lost),
              String(mass.deadLettered),
              String(mass.redeliveries),
            ],
          ],
        ),
      ].join('\n')
    : org
      ? ''
      : '<p class="muted">The mass run was skipped (--skip-mass).</p>';
  return htmlPage(
    'lockdown bench',
    [
      '<h1>lockdown bench</h1>',
      massSection,
      org ? orgSection(org) : '',
      tamper ? adversarySection(tamper, figures.propagationSeconds) : '',
    ].join('\n'),
  );
}
