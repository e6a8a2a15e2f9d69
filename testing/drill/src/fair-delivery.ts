/**
 * How SQS fair queues choose what a consumer receives, as "How Amazon SQS fair queues work"
 * documents it (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-fair-queues-detailed.html):
 * a tenant (a MessageGroupId; a message without one is a tenant of its own) is noisy when it holds
 * more than 10% of the queue's in-flight messages and at least 30 of them, or more than 10% of the
 * consumers' recent processing time. Whenever a quiet tenant's message is available, consumers
 * receive it first; among noisy tenants, the one with the fewest messages in flight comes first.
 * Noisy tenants' messages are never dropped, only served after. Pure: the local event source keeps the state.
 */
export const FAIR_QUEUE_THRESHOLDS = { concurrencyShare: 0.1, minInFlight: 30, processingShare: 0.1 } as const;

export interface Tenancy {
  /** In-flight messages per tenant. */
  inFlight: ReadonlyMap<string, number>;
  /** Recent processing time per tenant (any unit). */
  processing: ReadonlyMap<string, number>;
}

const total = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

/** The tenants SQS would treat as noisy neighbours now. */
export function noisyTenants({ inFlight, processing }: Tenancy, t = FAIR_QUEUE_THRESHOLDS): Set<string> {
  const noisy = new Set<string>();
  const allInFlight = total(inFlight.values());
  for (const [tenant, n] of inFlight) if (n >= t.minInFlight && n > t.concurrencyShare * allInFlight) noisy.add(tenant);
  const allProcessing = total(processing.values());
  for (const [tenant, ms] of processing) if (allProcessing > 0 && ms > t.processingShare * allProcessing) noisy.add(tenant);
  return noisy;
}

/**
 * The next batch of up to `size` messages from those available (in arrival order). Fair: quiet
 * tenants' messages first, in arrival order, then the noisy tenants', the tenant with the fewest in
 * flight (counting this batch) first. Not fair: a standard queue without groups, oldest first.
 */
export function nextBatch<M extends { tenant: string }>(available: readonly M[], size: number, tenancy: Tenancy, fair: boolean): M[] {
  if (!fair) return available.slice(0, size);
  const noisy = noisyTenants(tenancy);
  const quiet = available.filter((m) => !noisy.has(m.tenant)).slice(0, size);
  if (quiet.length === size) return quiet;
  const inFlight = new Map(tenancy.inFlight);
  const waiting = new Map<string, M[]>();
  for (const m of available) {
    if (!noisy.has(m.tenant)) continue;
    const queue = waiting.get(m.tenant) ?? [];
    if (queue.length < size) queue.push(m);
    waiting.set(m.tenant, queue);
  }
  const batch = [...quiet];
  while (batch.length < size && waiting.size > 0) {
    const [tenant, queue] = [...waiting].reduce((a, b) => ((inFlight.get(b[0]) ?? 0) < (inFlight.get(a[0]) ?? 0) ? b : a));
    batch.push(queue.shift()!);
    inFlight.set(tenant, (inFlight.get(tenant) ?? 0) + 1);
    if (queue.length === 0) waiting.delete(tenant);
  }
  return batch;
}
