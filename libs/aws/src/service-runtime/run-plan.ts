import type { DispatchMessage } from '@lockdown/contracts';
import type { EntityKey, Executor, Outcome, RequestInfo } from '@lockdown/containment';
import type { Delivery } from './sqs-handler';

export const requestInfo = (message: DispatchMessage): RequestInfo => ({
  requestId: message.requestId,
  requestedAt: message.requestedAt,
  ...(message.reason ? { reason: message.reason } : {}),
  ...(message.ticket ? { ticket: message.ticket } : {}),
  ...(message.requestedBy ? { requestedBy: message.requestedBy } : {}),
  ...(message.authority ? { authority: message.authority } : {}),
  ...(message.finding ? { finding: message.finding } : {}),
});

/** Runs a dispatch message's action (dry run, contain, a tamper-watch tick, or release) on an executor. */
export function runPlan<Ctx, State>(
  executor: Executor<Ctx, State>,
  ctx: Ctx,
  message: DispatchMessage,
  delivery: Delivery = { attempt: 1 },
): Promise<Outcome> {
  const entity: EntityKey = { arn: message.entity.arn, type: message.entity.type };
  if (message.watch) return executor.watch(ctx, entity, requestInfo(message));
  if (message.dryRun) return message.action === 'release' ? executor.dryRunRelease(entity) : executor.dryRun(ctx, entity);
  return message.action === 'release'
    ? executor.release(ctx, entity, requestInfo(message))
    : // A redelivery's earlier attempt already sent the steps made on receipt: the plan applies what is missing.
      executor.contain(ctx, entity, requestInfo(message), { onReceipt: delivery.attempt === 1 });
}
