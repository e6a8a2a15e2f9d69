import { Logger } from '@aws-lambda-powertools/logger';
import { type AuditEvent, type RegionProgress, parseScope } from '@lockdown/contracts';
import { ContainmentError, Outcome } from '@lockdown/containment';
import { dispatchMessage, lambdaContext, sqsEvent, sqsRecord } from '@lockdown/sandbox';
import { setImmediate as tick } from 'node:timers/promises';
import { createSqsHandler } from './sqs-handler';
import type { SweepState } from '../sweep/sweep-of-containment';

const USER = 'arn:aws:iam::111111111111:user/';

describe('createSqsHandler', () => {
  it('reports every failure of concurrent invocations (one handler, as the local pollers share it)', async () => {
    // Prepare: a use case that fails for users named "bad-*" after yielding, so two batches interleave.
    const audits: AuditEvent[] = [];
    const handler = createSqsHandler({
      service: 'iam-lockdown',
      maxReceiveCount: 5,
      scope: parseScope({ onboardedAccounts: 'all', securityAccountId: '999999999999' }),
      logger: new Logger({ logLevel: 'SILENT' }),
      audit: { record: async (event) => void audits.push(event) },
      useCase: async (message) => {
        for (let i = 0; i < 5; i += 1) await tick();
        if (message.entity.name.startsWith('bad')) throw new ContainmentError('throttled', { retryable: true, code: 'throttled' });
        return { kind: 'contained', detail: 'ok', steps: [], reapplied: [] } satisfies Outcome;
      },
    });
    const batch = (prefix: string) =>
      sqsEvent(
        sqsRecord(dispatchMessage(`${USER}${prefix}-good`), 1, `${prefix}-good`),
        sqsRecord(dispatchMessage(`${USER}bad-${prefix}`), 1, `${prefix}-bad`),
      );

    // Act: two invocations at once.
    const [first, second] = await Promise.all([handler(batch('a'), lambdaContext), handler(batch('b'), lambdaContext)]);

    // Assert: each reports exactly its own failure.
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'a-bad' }]);
    expect(second.batchItemFailures).toEqual([{ itemIdentifier: 'b-bad' }]);
  });

  it('refuses on receipt what the intake would have refused (a forged dispatch message), audits it and changes nothing', async () => {
    // Prepare: a service that acts in one account only, with a break-glass role protected.
    const audits: AuditEvent[] = [];
    const calls: string[] = [];
    const handler = createSqsHandler({
      service: 'iam-lockdown',
      maxReceiveCount: 5,
      scope: parseScope({
        onboardedAccounts: '111111111111',
        protectedPrincipals: 'arn:aws:iam::*:role/BreakGlass',
        securityAccountId: '999999999999',
      }),
      logger: new Logger({ logLevel: 'SILENT' }),
      audit: { record: async (event) => void audits.push(event) },
      useCase: async (message) => {
        calls.push(message.entity.arn);
        return { kind: 'contained', detail: 'ok', steps: [], reapplied: [] };
      },
    });
    const forged = [
      dispatchMessage('arn:aws:iam::111111111111:role/BreakGlass'),
      dispatchMessage('arn:aws:iam::111111111111:role/lockdown-member'),
      dispatchMessage('arn:aws:iam::222222222222:user/alice'),
    ];

    // Act
    const result = await handler(sqsEvent(...forged.map((m) => sqsRecord(m))), lambdaContext);

    // Assert: consumed (nothing to retry), nothing done, each audited with its reason.
    expect(result.batchItemFailures).toEqual([]);
    expect(calls).toEqual([]);
    expect(audits.map((a) => [a.kind, a.code])).toEqual(Array(3).fill(['failed', 'refused-on-receipt']));
    expect(audits.map((a) => a.detail)).toEqual([
      expect.stringMatching(/BreakGlass is protected/),
      expect.stringMatching(/lockdown-member is lockdown's member role/),
      expect.stringMatching(/account 222222222222 is not onboarded/),
    ]);
  });

  describe('the persistence sweep', () => {
    const scope = parseScope({ onboardedAccounts: 'all', securityAccountId: '999999999999' });
    const setup = (
      useCase: () => Promise<Outcome>,
      sweep: (
        reported: readonly string[],
        state: SweepState,
      ) => Promise<{ reported: string[]; event?: AuditEvent; progress?: RegionProgress[] }>,
    ) => {
      const audits: AuditEvent[] = [];
      const ticks: Array<{ watch?: { swept?: string[]; sweepProgress?: RegionProgress[] } }> = [];
      const swept: Array<readonly string[]> = [];
      const handler = createSqsHandler({
        service: 'iam-lockdown',
        maxReceiveCount: 3,
        scope,
        logger: new Logger({ logLevel: 'SILENT' }),
        audit: { record: async (event) => void audits.push(event) },
        useCase,
        watch: { schedule: [5, 30], queue: { send: async (message) => void ticks.push(message) } },
        sweep: async (_message, state) => {
          swept.push(state.reported);
          return { progress: [], ...(await sweep(state.reported, state)) };
        },
      });
      return { handler, audits, ticks, swept };
    };
    const contained = async (): Promise<Outcome> => ({ kind: 'contained', detail: 'ok', steps: [], reapplied: [] });
    const held = async (): Promise<Outcome> => ({ kind: 'held', detail: 'ok', steps: [], reapplied: [] });
    const since = new Date(Date.now() - 10_000).toISOString();
    const tick = (swept: string[]) => ({ ...dispatchMessage(`${USER}mallory`), watch: { tick: 1, since, dueAt: since, swept } });
    const sweptEvent = (requestId: string): AuditEvent => ({
      kind: 'swept',
      requestId,
      source: 'iam-lockdown',
      at: new Date().toISOString(),
      detail: 'found 1',
    });

    it("runs on the watch's ticks, not in the containment's own invocation; audits SWEPT and hands the reported ids on", async () => {
      const first = setup(contained, async () => ({ reported: ['e-1'], event: sweptEvent('r') }));
      await first.handler(sqsEvent(sqsRecord(dispatchMessage(`${USER}mallory`), 1)), lambdaContext);
      const later = setup(held, async (reported) => ({ reported: [...reported, 'e-2'], event: sweptEvent('r') }));

      await later.handler(sqsEvent(sqsRecord(tick(['e-1']), 1)), lambdaContext);

      expect(first.swept).toEqual([]);
      expect(first.audits.map((a) => a.kind)).toEqual(['contained']);
      expect(later.swept).toEqual([['e-1']]);
      expect(later.audits.map((a) => a.kind)).toEqual(['swept']);
      expect(later.ticks.map((t) => t.watch?.swept)).toEqual([['e-1', 'e-2']]);
    });

    // A pass that ran out of pages says how far it read; the next tick reads on from there, not from the newest again.
    it('hands how far each region was read on to the next tick, and the next tick its sweep', async () => {
      const progress: RegionProgress[] = [
        { region: 'us-east-1', readTo: since, unread: [{ from: '2026-11-25T00:00:00.000Z', to: '2026-11-26T03:00:00.000Z' }] },
      ];
      const first = setup(held, async () => ({ reported: ['e-1'], event: sweptEvent('r'), progress }));
      const seen: SweepState[] = [];
      const later = setup(held, async (reported, state) => (seen.push(state), { reported: [...reported] }));

      await first.handler(sqsEvent(sqsRecord(tick([]), 1)), lambdaContext);
      const due = first.ticks[0]! as ReturnType<typeof tick>;
      await later.handler(sqsEvent(sqsRecord({ ...due, watch: { ...due.watch, dueAt: since } }, 1)), lambdaContext);

      expect(first.ticks.map((t) => t.watch?.sweepProgress)).toEqual([progress]);
      expect(seen).toEqual([{ reported: ['e-1'], progress }]);
    });

    it('a sweep that fails is audited FAILED (sweep-failed) and does not fail the tick; the next tick sweeps again', async () => {
      const { handler, audits, ticks } = setup(held, async () => {
        throw new Error('ThrottlingException: Rate exceeded');
      });

      const result = await handler(sqsEvent(sqsRecord(tick(['e-1']), 1)), lambdaContext);

      expect(result.batchItemFailures).toEqual([]);
      expect(audits.map((a) => [a.kind, a.code])).toEqual([['failed', 'sweep-failed']]);
      expect(ticks.map((t) => t.watch?.swept)).toEqual([['e-1']]);
    });

    it('sweeps a containment that finally failed: the identity is still live, what it left matters most', async () => {
      const { handler, audits, swept } = setup(
        async () => {
          throw new ContainmentError('not contained', { retryable: true, code: 'not-contained' });
        },
        async () => ({ reported: ['e-1'], event: sweptEvent('r') }),
      );

      await handler(sqsEvent(sqsRecord(dispatchMessage(`${USER}mallory`), 1)), lambdaContext);
      await handler(sqsEvent(sqsRecord(dispatchMessage(`${USER}mallory`), 3)), lambdaContext);

      expect(swept).toEqual([[]]);
      expect(audits.map((a) => a.kind)).toEqual(['failed', 'swept']);
    });
  });

  // An attacker with a second principal can spend an account's API budget (Lambda's 15 requests/s,
  // EC2's mutating bucket) on purpose. If each throttled attempt counted as a receive, five of them
  // (about 30 s of backoff) would dead-letter the containment. The record is consumed and a copy sent
  // back with a delay instead (SQS DelaySeconds: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html),
  // so the receive count starts over; only after 30 minutes of throttling does it fail the usual way.
  const throttledHandler = (
    requestedAt: string,
    sent: Array<{ requestId: string; seconds: number; throttled?: number }>,
    audits: AuditEvent[],
  ) =>
    createSqsHandler({
      service: 'iam-lockdown',
      maxReceiveCount: 5,
      scope: parseScope({ onboardedAccounts: 'all', securityAccountId: '999999999999' }),
      logger: new Logger({ logLevel: 'SILENT' }),
      audit: { record: async (event) => void audits.push(event) },
      useCase: async () => {
        throw new ContainmentError('step "deny": Rate exceeded', { retryable: true, code: 'throttled' });
      },
      retryLater: {
        send: async (message, seconds) =>
          void sent.push({ requestId: message.requestId, seconds, ...(message.throttled ? { throttled: message.throttled } : {}) }),
      },
      now: () => new Date('2026-12-06T12:00:10.000Z'),
      random: () => 0.999,
    });

  it('sends a throttled request back to the queue as a new message after a backoff, consuming the record (its receive count starts over), and audits nothing', async () => {
    const audits: AuditEvent[] = [];
    const sent: Array<{ requestId: string; seconds: number; throttled?: number }> = [];
    const message = { ...dispatchMessage(`${USER}alice`), requestedAt: '2026-12-06T12:00:00.000Z' };

    // The fifth receive: with a receive count, the next failure would go to the dead-letter queue.
    const result = await throttledHandler(message.requestedAt, sent, audits)(sqsEvent(sqsRecord(message, 5, 'throttled')), lambdaContext);

    expect(result.batchItemFailures).toEqual([]);
    expect(sent).toEqual([{ requestId: message.requestId, seconds: 2, throttled: 1 }]);
    expect(audits).toEqual([]);
  });

  it('backs off further each time the same request is throttled again (the count travels on the message)', async () => {
    const sent: Array<{ requestId: string; seconds: number; throttled?: number }> = [];
    const message = { ...dispatchMessage(`${USER}alice`), requestedAt: '2026-12-06T12:00:00.000Z', throttled: 3 };

    await throttledHandler(message.requestedAt, sent, [])(sqsEvent(sqsRecord(message, 1, 'throttled')), lambdaContext);

    expect(sent).toEqual([{ requestId: message.requestId, seconds: 16, throttled: 4 }]);
  });

  it("sends a throttled tamper-watch tick back the same way, its 30 minutes counted from when the tick was due (an attacker who keeps the account's budget spent must not end the watch)", async () => {
    const audits: AuditEvent[] = [];
    const sent: Array<{ requestId: string; seconds: number; throttled?: number }> = [];
    // The last tick of the default schedule, due 30 minutes after the request.
    const message = {
      ...dispatchMessage(`${USER}alice`),
      requestedAt: '2026-12-06T11:30:00.000Z',
      watch: { tick: 5, since: '2026-12-06T11:30:00.000Z', dueAt: '2026-12-06T12:00:00.000Z' },
    };

    const result = await throttledHandler(message.requestedAt, sent, audits)(sqsEvent(sqsRecord(message, 5, 'throttled')), lambdaContext);

    expect(result.batchItemFailures).toEqual([]);
    expect(sent).toEqual([{ requestId: message.requestId, seconds: 2, throttled: 1 }]);
    expect(audits).toEqual([]);
  });

  it('fails a request throttled for 30 minutes the usual way (retried, then dead-lettered and audited)', async () => {
    const audits: AuditEvent[] = [];
    const sent: Array<{ requestId: string; seconds: number; throttled?: number }> = [];
    const message = { ...dispatchMessage(`${USER}alice`), requestedAt: '2026-12-06T11:30:00.000Z' };

    const result = await throttledHandler(message.requestedAt, sent, audits)(sqsEvent(sqsRecord(message, 5, 'throttled')), lambdaContext);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'throttled' }]);
    expect(sent).toEqual([]);
    expect(audits.map((a) => [a.kind, a.code])).toEqual([['failed', 'throttled']]);
  });

  it('leaves a record that failed otherwise to the visibility timeout', async () => {
    const returned: unknown[] = [];
    const handler = createSqsHandler({
      service: 'iam-lockdown',
      maxReceiveCount: 5,
      scope: parseScope({ onboardedAccounts: 'all', securityAccountId: '999999999999' }),
      logger: new Logger({ logLevel: 'SILENT' }),
      audit: { record: async () => undefined },
      useCase: async () => {
        throw new ContainmentError('step "deny": service unavailable', { retryable: true, code: 'transient' });
      },
      retryLater: { send: async (...args) => void returned.push(args) },
    });
    const result = await handler(sqsEvent(sqsRecord(dispatchMessage(`${USER}alice`), 1, 'failed')), lambdaContext);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'failed' }]);
    expect(returned).toEqual([]);
  });
});
