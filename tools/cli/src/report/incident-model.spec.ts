import type { LedgerRecord, LedgerStep } from '@lockdown/containment';
import { buildIncidentReport } from './incident-model';

const T0 = Date.parse('2026-12-06T10:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const step = (id: string, stage: number, status: LedgerStep['status'], seconds: number): LedgerStep => ({
  id,
  kind: id,
  description: `step ${id}`,
  stage,
  params: {},
  original: { before: id },
  calls: { apply: [`iam:Apply${id}`], undo: [`iam:Undo${id}`] },
  status,
  at: at(seconds),
});
const record = (steps: LedgerStep[], timeline: Array<[number, string]>, extra: Partial<LedgerRecord> = {}): LedgerRecord => ({
  arn: 'arn:aws:iam::111111111111:user/alice',
  entityType: 'iam-user',
  cycle: 1,
  status: 'contained',
  request: { requestId: 'req-1', requestedAt: at(0), reason: 'exfiltration', authority: 'ingress' },
  original: { capturedAt: at(0.5), requestId: 'req-1', state: {} },
  steps,
  timeline: timeline.map(([s, event]) => ({ at: at(s), requestId: 'req-1', event })),
  updatedAt: at(3),
  ...extra,
});

describe('buildIncidentReport', () => {
  it("times each step from when its stage could start to when the ledger recorded it, in seconds from the request's receipt", () => {
    const contained = record(
      [step('tag', 0, 'applied', 0.5), step('deny', 1, 'applied', 1.2), step('keys', 1, 'applied', 1.5), step('sessions', 2, 'applied', 2)],
      [
        [0.5, 'containment started: original state captured'],
        [2.5, 'contained and verified'],
      ],
    );

    const report = buildIncidentReport([contained]);

    expect(report.steps.map((s) => [s.id, s.applied?.start, s.applied?.end])).toEqual([
      ['tag', 0.5, 0.5],
      ['deny', 0.5, 1.2],
      ['keys', 0.5, 1.5],
      ['sessions', 1.5, 2],
    ]);
    expect(report.events.map((e) => [e.kind, e.at])).toEqual([
      ['received', 0],
      ['first-effect', 0.5],
      ['contained', 2.5],
    ]);
  });

  it('shows both the apply and the undo of each step when given the read after containment and the read after release', () => {
    const contained = record([step('tag', 0, 'applied', 0.5), step('deny', 1, 'applied', 1)], [[1.5, 'contained and verified']]);
    const released = record(
      [step('tag', 0, 'undone', 61), step('deny', 1, 'undone', 60.5)],
      [
        [1.5, 'contained and verified'],
        [60, 'release started'],
        [61.2, 'released: recorded state restored'],
      ],
      { status: 'released', release: { requestId: 'req-2', at: at(61.2) } },
    );

    const report = buildIncidentReport([contained, released]);

    expect(report.steps.map((s) => [s.id, s.status, s.applied?.end, s.undone?.start, s.undone?.end])).toEqual([
      ['tag', 'undone', 0.5, 60.5, 61],
      ['deny', 'undone', 1, 60, 60.5],
    ]);
    expect(report.events.map((e) => e.kind)).toEqual(['received', 'first-effect', 'contained', 'release-started', 'released']);
    expect(report.release).toEqual({ requestId: 'req-2', at: at(61.2) });
  });

  it('marks each tamper-watch repair, and not its quiet ticks; a re-applied step is drawn at its re-apply, not from its stage start', () => {
    const contained = record(
      [step('deny', 1, 'reapplied', 9)],
      [
        [1, 'contained and verified'],
        [9, 'tamper watch: deny found undone at 2026-12-06T10:00:08.000Z, re-applied and read back in effect'],
        [20, 'tamper watch: verified contained'],
      ],
    );

    const report = buildIncidentReport([contained]);

    expect(report.events.filter((e) => e.kind === 'tampered').map((e) => e.at)).toEqual([9]);
    expect(report.steps[0]!.applied).toMatchObject({ status: 'reapplied', start: 9, end: 9 });
  });

  it('keeps what the request recorded about who asked: reason, authority, finding', () => {
    const finding = { id: 'f-1', productArn: 'arn:aws:securityhub:us-east-1::product/aws/guardduty' };
    const report = buildIncidentReport([
      record([], [], {
        request: { requestId: 'req-1', requestedAt: at(0), reason: 'why', ticket: 'INC-1', authority: 'ingress', finding },
      }),
    ]);

    expect(report.request).toEqual({
      requestId: 'req-1',
      requestedAt: at(0),
      reason: 'why',
      ticket: 'INC-1',
      authority: 'ingress',
      finding,
    });
  });

  it('refuses reads of two different containments', () => {
    const first = record([], []);
    const second = record([], [], { cycle: 2 });

    expect(() => buildIncidentReport([first, second])).toThrow(/different containments/);
    expect(() => buildIncidentReport([])).toThrow(/no ledger record/);
  });
});
