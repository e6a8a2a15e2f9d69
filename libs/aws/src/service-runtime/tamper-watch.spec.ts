import { Logger } from '@aws-lambda-powertools/logger';
import { type AuditEvent, type DispatchMessage, parseScope } from '@lockdown/contracts';
import type { Outcome, OutcomeKind } from '@lockdown/containment';
import { dispatchMessage, lambdaContext, sqsEvent, sqsRecord } from '@lockdown/sandbox';
import { createSqsHandler } from './sqs-handler';
import { nextWatchTick, parseWatchSchedule } from './tamper-watch';

const USER = 'arn:aws:iam::111111111111:user/alice';
const NOW = new Date('2026-11-26T05:00:00.000Z');
const SCHEDULE = [5, 30, 120, 600, 1800];
const outcome = (kind: OutcomeKind): Outcome => ({ kind, detail: kind, steps: [], reapplied: [] });
const watching = (tick: number, since = NOW.toISOString(), dueAt = NOW.toISOString()) => ({
  ...dispatchMessage(USER),
  watch: { tick, since, dueAt },
});

describe('the tamper watch schedule', () => {
  it.each<[string, DispatchMessage, OutcomeKind, { tick: number; delaySeconds: number } | undefined]>([
    ['the first tick after a containment', dispatchMessage(USER), 'contained', { tick: 1, delaySeconds: 5 }],
    ['the next tick after one that held', watching(1), 'held', { tick: 2, delaySeconds: 30 }],
    ['the next tick after one that undid tampering', watching(2), 'tampered', { tick: 3, delaySeconds: 120 }],
    [
      'a wait longer than SQS allows, capped at 15 minutes (the tick is sent again when it arrives)',
      watching(4),
      'held',
      { tick: 5, delaySeconds: 900 },
    ],
    ['nothing after the last tick', watching(5), 'held', undefined],
    ['nothing once the watch ended (released, or replaced)', watching(2), 'noop', undefined],
    ['nothing after a containment that is still under way (EC2 phase 1)', dispatchMessage(USER), 'containing', undefined],
    ['nothing after a release', dispatchMessage(USER, { action: 'release' }), 'released', undefined],
    ['nothing after a dry run', dispatchMessage(USER, { dryRun: true }), 'planned', undefined],
  ])('schedules %s', (_case, message, kind, expected) => {
    const next = nextWatchTick(message, outcome(kind), SCHEDULE, NOW);
    expect(next && { tick: next.message.watch!.tick, delaySeconds: next.delaySeconds }).toEqual(expected);
  });

  it('counts every tick from the end of the containment, not from the previous tick', () => {
    const since = '2026-11-26T04:59:00.000Z';
    const next = nextWatchTick(watching(1, since), outcome('held'), SCHEDULE, NOW)!;
    expect(next.message.watch).toEqual({ tick: 2, since, dueAt: '2026-11-26T04:59:30.000Z' });
    expect(next.delaySeconds).toBe(0);
  });

  it('carries the latest 1,000 reported CloudTrail event ids, so no number of findings an attacker causes outgrows an SQS message (256 KB)', () => {
    const reported = Array.from({ length: 10_000 }, (_, i) => `4a2e9604-2ac5-4e93-b891-${String(i).padStart(12, '0')}`);
    const next = nextWatchTick(watching(1), outcome('held'), SCHEDULE, NOW, { reported })!;
    expect(next.message.watch!.swept).toEqual(reported.slice(-1000));
    expect(Buffer.byteLength(JSON.stringify(next.message))).toBeLessThan(64 * 1024);
  });

  it("drops EC2's phase from a watch tick", () => {
    const next = nextWatchTick({ ...dispatchMessage(USER), phase: 2 }, outcome('contained'), SCHEDULE, NOW)!;
    expect(next.message.phase).toBeUndefined();
  });

  it('reads WATCH_SCHEDULE, and refuses one that is not increasing whole seconds', () => {
    expect(parseWatchSchedule('5, 30,120')).toEqual([5, 30, 120]);
    expect(parseWatchSchedule('')).toEqual([]);
    expect(parseWatchSchedule(undefined)).toEqual([]);
    for (const bad of ['30,5', '0', '1.5', 'soon', '5,5']) expect(() => parseWatchSchedule(bad)).toThrow(/WATCH_SCHEDULE/);
  });
});

describe('createSqsHandler with the tamper watch', () => {
  function service(result: (message: DispatchMessage) => Outcome) {
    const audits: AuditEvent[] = [];
    const sent: Array<{ message: DispatchMessage; delaySeconds: number }> = [];
    const ran: DispatchMessage[] = [];
    const handler = createSqsHandler({
      service: 'iam-lockdown',
      maxReceiveCount: 5,
      scope: parseScope({ onboardedAccounts: 'all', securityAccountId: '999999999999' }),
      logger: new Logger({ logLevel: 'SILENT' }),
      audit: { record: async (event) => void audits.push(event) },
      useCase: async (message) => (ran.push(message), result(message)),
      watch: { schedule: SCHEDULE, queue: { send: async (message, delaySeconds) => void sent.push({ message, delaySeconds }) } },
      now: () => NOW,
    });
    return { audits, sent, ran, run: (message: DispatchMessage) => handler(sqsEvent(sqsRecord(message)), lambdaContext) };
  }

  it('starts the watch when a containment finishes, and audits it as usual', async () => {
    const s = service(() => outcome('contained'));
    await s.run(dispatchMessage(USER));
    expect(s.audits.map((a) => a.kind)).toEqual(['contained']);
    expect(s.sent).toEqual([{ message: expect.objectContaining({ watch: expect.objectContaining({ tick: 1 }) }), delaySeconds: 5 }]);
  });

  it('audits TAMPERED (email, metric, alarm) and goes on; a tick that held sends no email', async () => {
    const tampered = service(() => outcome('tampered'));
    await tampered.run(watching(1));
    expect(tampered.audits.map((a) => a.kind)).toEqual(['tampered']);
    const held = service(() => outcome('held'));
    await held.run(watching(1));
    expect(held.audits).toEqual([]);
    expect(held.sent.map((s) => s.message.watch!.tick)).toEqual([2]);
  });

  it('ends quietly after a release: no email, no next tick', async () => {
    const s = service(() => ({ ...outcome('noop'), watchEnded: true }));
    await s.run(watching(3));
    expect(s.audits).toEqual([]);
    expect(s.sent).toEqual([]);
  });

  it('sends a tick that arrived before it is due back to wait, without running it', async () => {
    const s = service(() => outcome('held'));
    await s.run(watching(5, NOW.toISOString(), '2026-11-26T05:20:00.000Z'));
    expect(s.ran).toEqual([]);
    expect(s.sent).toEqual([{ message: expect.objectContaining({ watch: expect.objectContaining({ tick: 5 }) }), delaySeconds: 1200 }]);
  });
});
