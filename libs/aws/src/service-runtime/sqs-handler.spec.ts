import { Logger } from '@aws-lambda-powertools/logger';
import type { AuditEvent } from '@lockdown/contracts';
import { ContainmentError, Outcome } from '@lockdown/containment';
import { dispatchMessage, lambdaContext, sqsEvent, sqsRecord } from '@lockdown/sandbox';
import { setImmediate as tick } from 'node:timers/promises';
import { createSqsHandler } from './sqs-handler';

const USER = 'arn:aws:iam::111111111111:user/';

describe('createSqsHandler', () => {
  it('reports every failure of concurrent invocations (one handler, as the local pollers share it)', async () => {
    // Prepare: a use case that fails for users named "bad-*" after yielding, so two batches interleave.
    const audits: AuditEvent[] = [];
    const handler = createSqsHandler({
      service: 'iam-lockdown',
      maxReceiveCount: 5,
      logger: new Logger({ logLevel: 'SILENT' }),
      audit: { record: async (event) => void audits.push(event) },
      useCase: async (message) => {
        for (let i = 0; i < 5; i += 1) await tick();
        if (message.entity.name.startsWith('bad')) throw new ContainmentError('throttled', { retryable: true, code: 'throttled' });
        return { kind: 'contained', detail: 'ok', steps: [], reapplied: [] } satisfies Outcome;
      },
    });
    const batch = (prefix: string) =>
      sqsEvent(sqsRecord(dispatchMessage(`${USER}${prefix}-good`), 1, `${prefix}-good`), sqsRecord(dispatchMessage(`${USER}bad-${prefix}`), 1, `${prefix}-bad`));

    // Act: two invocations at once.
    const [first, second] = await Promise.all([handler(batch('a'), lambdaContext), handler(batch('b'), lambdaContext)]);

    // Assert: each reports exactly its own failure.
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'a-bad' }]);
    expect(second.batchItemFailures).toEqual([{ itemIdentifier: 'b-bad' }]);
  });
});
