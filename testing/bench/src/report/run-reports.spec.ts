import type { MassFigures } from '../mass';
import type { CampaignReport } from '@lockdown/drill';
import type { DrillReport } from '@lockdown/drill';
import type { LedgerRecord } from '@lockdown/containment';
import { containedCurve, rateLimitBound, renderBenchHtml } from './bench-html';
import { renderAdversaryHtml, renderDrillHtml } from '@lockdown/drill';

const count = (html: string, pattern: RegExp) => (html.match(pattern) ?? []).length;

const mass = (containedOverTime: number[]): MassFigures => ({
  requests: { 'iam-user': 60, 'iam-role': 40 },
  limits: [],
  time: 'real',
  totalSeconds: 16,
  lowerBoundSeconds: 14,
  lost: 0,
  lostEntities: [],
  ratio: 1.14,
  bottleneck: 'iam (300 calls)',
  bottleneckCalls: { PutUserPolicy: 200, TagUser: 100 },
  deadLettered: 0,
  failedAudits: {},
  throttlingErrors: {},
  redeliveries: 0,
  containedOverTime,
  bottleneckLimit: { capacity: 20, refillPerSecond: 20 },
});

describe("the bench's report", () => {
  it('draws the rate-limit bound: the burst at once, then the refill rate until every entity, per the calls each needed', () => {
    const bound = rateLimitBound(mass([1, 2, 16]));

    // 100 entities needed 300 calls: the burst of 20 covers 6 at once; the rest takes (300 - 20) / 20 = 14 s.
    expect(bound).toEqual([
      { x: 0, y: 6 },
      { x: 14, y: 100 },
      { x: 16, y: 100 },
    ]);
  });

  it('draws contained over time as one step per CONTAINED report, with both lines in the chart', () => {
    const figures = mass([0.5, 1.5]);

    const html = renderBenchHtml({ mass: figures, propagationSeconds: 4 });

    expect(containedCurve(figures)).toEqual([
      { x: 0, y: 0 },
      { x: 0.5, y: 0 },
      { x: 0.5, y: 1 },
      { x: 1.5, y: 1 },
      { x: 1.5, y: 2 },
    ]);
    expect(count(html, /<polyline [^>]*data-series=/g)).toBe(2);
  });
});

describe("the organization bench's report", () => {
  it('puts fair queues and oldest first side by side', () => {
    const run = (fair: boolean, p99: number) => ({
      fair,
      totalSeconds: 60,
      lowerBoundSeconds: 55,
      ratio: 1.09,
      floodDispatchedSeconds: 3,
      bottleneck: 'IAM in 100000000000 us-east-1 (1100 calls)',
      bottleneckCalls: {},
      quiet: { requests: 20, firstEffect: { p50: 1, p99: 2 }, contained: { p50: 2, p99 }, containedP99ByType: {} },
      throttlingErrors: {},
      lost: 0,
      lostEntities: [],
      deadLettered: 0,
      redeliveries: 0,
      eventLoopDelayMs: { p99: 20, max: 40 },
      redelivered: {},
    });
    const org = {
      requests: { total: 100, accounts: 20, regions: ['us-east-1'], flood: 80, quiet: 20, byType: {} },
      latencyMs: 100,
      budgets: [],
      runs: [run(true, 4.5), run(false, 40)],
      durationSeconds: 130,
      loadAverage: [1, 1, 1],
    };

    const html = renderBenchHtml({ org, propagationSeconds: 4 });

    expect(html).toContain('Fair queues (by account)');
    expect(html).toContain('Oldest first');
    expect(html).toMatch(/2 s \/ 4\.5 s[\s\S]*2 s \/ 40 s/);
    expect(html).not.toContain('--skip-mass');
  });
});

const campaign = (configuration: CampaignReport['configuration']): CampaignReport => ({
  configuration,
  scores: [],
  persistence: [],
  checks: [{ name: 'contained', ok: true, detail: '' }],
  emails: [],
  passed: true,
  outcomes: [
    {
      entity: 'iam-user <b>x</b>',
      events: [
        { at: -200, actor: 'own credentials', kind: 'observe', what: 'GetUser', result: 'allowed' },
        { at: 900, actor: 'second administrator', kind: 'tamper', what: 'DeleteUserPolicy', result: 'allowed' },
        { at: 1500, actor: 'second administrator', kind: 'tamper', what: 'DeleteUserPolicy', result: 'refused' },
        { at: 1600, actor: 'own credentials', kind: 'observe', what: 'GetUser', result: 'refused' },
      ],
      containedAt: 800,
      reappliedByVerify: 0,
      tampered: [{ at: 5200, steps: 1 }],
      end: 20000,
      pollMs: 500,
    },
  ],
});

describe("the adversarial drill's report", () => {
  it('draws every undo attempt of each entity in each configuration, what AWS answered, and each put-back', () => {
    const html = renderAdversaryHtml([campaign('watch only'), campaign('guard')], 4);

    expect(count(html, /data-attempt="refused"/g)).toBe(2);
    expect(count(html, /data-attempt="allowed"/g)).toBe(2);
    expect(count(html, /data-putback=/g)).toBe(2);
    expect(count(html, /data-contained=/g)).toBe(2);
    expect(html).toContain('iam-user &lt;b&gt;x&lt;/b&gt; (guard)');
  });
});

describe("the drill's report", () => {
  it("draws each entity's timeline from its ledger reads, with the audit emails that name it", () => {
    const arn = 'arn:aws:iam::111111111111:role/app';
    const read = (status: 'applied' | 'undone', at: string): LedgerRecord => ({
      arn,
      entityType: 'iam-role',
      cycle: 1,
      status: status === 'applied' ? 'contained' : 'released',
      request: { requestId: 'req-1', requestedAt: '2026-12-06T10:00:00.000Z' },
      original: { capturedAt: '2026-12-06T10:00:00.200Z', requestId: 'req-1', state: {} },
      steps: ['tag', 'deny'].map((id, stage) => ({
        id,
        kind: id,
        description: id,
        stage,
        params: {},
        original: null,
        calls: { apply: [], undo: [] },
        status,
        at,
      })),
      timeline: [],
      updatedAt: at,
    });
    const report = {
      mode: 'sandbox',
      memberAccount: '111111111111',
      checks: [],
      pollers: {},
      durationMs: 1000,
      passed: true,
      emails: [
        { at: 900, subject: '[lockdown] CONTAINED iam-role app', body: `ARN:         ${arn}\n` },
        { at: 950, subject: '[lockdown] CONTAINED iam-role other', body: 'ARN:         arn:aws:iam::111111111111:role/other\n' },
      ],
      ledgers: [[read('applied', '2026-12-06T10:00:00.500Z'), read('undone', '2026-12-06T10:01:00.000Z')]],
    } satisfies DrillReport;

    const html = renderDrillHtml(report);

    expect(count(html, /data-step=/g)).toBe(2);
    expect(count(html, /data-undo=/g)).toBe(2);
    expect(html).toContain('[lockdown] CONTAINED iam-role app');
    expect(html).not.toContain('iam-role other');
  });
});
