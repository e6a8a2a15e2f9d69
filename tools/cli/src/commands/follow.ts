import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLedger } from '@lockdown/aws';
import type { LedgerRecord } from '@lockdown/containment';
import { Action, EntityRef, serviceFor } from '@lockdown/contracts';
import { setTimeout as sleep } from 'node:timers/promises';
import { Output } from '../output';

/** Where a request stands, as its service's ledger shows it. */
export type FollowState = 'waiting' | 'containing' | 'releasing' | 'contained' | 'released' | 'not-contained' | 'failed' | 'timed-out';
const FINAL: ReadonlySet<FollowState> = new Set(['contained', 'released', 'not-contained', 'failed', 'timed-out']);
const SUCCESS: ReadonlySet<FollowState> = new Set(['contained', 'released', 'not-contained']);

export interface FollowedRequest {
  entity: EntityRef;
  /** The request id: the SNS message id the publisher got back. */
  requestId: string;
}

export interface FollowResult {
  arn: string;
  requestId: string;
  state: FollowState;
  detail: string;
  seconds: number;
}

export interface FollowOptions {
  timeoutSeconds: number;
  intervalMs?: number;
  /** The ledger table of a service (default `lockdown-<service>-ledger`). */
  tableOf?: (service: string) => string;
}

const touches = (record: LedgerRecord, requestId: string) =>
  record.request.requestId === requestId || record.timeline.some((e) => e.requestId === requestId);
const lastEvent = (record: LedgerRecord, requestId: string) =>
  [...record.timeline].reverse().find((e) => e.requestId === requestId)?.event ?? record.timeline.at(-1)?.event ?? '';

/** What the ledger record says about this request (pure). */
export function stateOf(action: Action, record: LedgerRecord | undefined, requestId: string, before?: LedgerRecord): FollowState {
  if (action === 'release') {
    // Nothing to release when the request was sent: the service answers with a no-op, and records nothing.
    if (!before || before.status === 'released') return 'not-contained';
    if (!record) return 'waiting';
    if (record.status === 'released' && record.release?.requestId === requestId) return 'released';
    if (!touches(record, requestId)) return 'waiting';
    return record.status === 'failed' ? 'failed' : 'releasing';
  }
  if (!record || !touches(record, requestId)) return 'waiting';
  switch (record.status) {
    case 'contained':
      return 'contained';
    case 'failed':
      return 'failed';
    case 'released':
      return 'released';
    default:
      return 'containing';
  }
}

/**
 * Follows published requests in their services' ledgers until each is contained, released or
 * failed (or the timeout passes), printing a line whenever one changes state.
 */
export async function followRequests(
  action: Action,
  requests: FollowedRequest[],
  options: FollowOptions,
  dynamodb: DynamoDBClient,
  output: Output,
): Promise<FollowResult[]> {
  const started = Date.now();
  const tableOf = options.tableOf ?? ((service: string) => `lockdown-${service}-ledger`);
  const ledgerOf = (entity: EntityRef) => new DynamoDbLedger(tableOf(serviceFor(entity.type)), dynamodb);
  const before = action === 'release' ? await Promise.all(requests.map((r) => ledgerOf(r.entity).get(r.entity.arn))) : [];
  const results: FollowResult[] = requests.map((r) => ({
    arn: r.entity.arn,
    requestId: r.requestId,
    state: 'waiting',
    detail: '',
    seconds: 0,
  }));
  const elapsed = () => Math.round((Date.now() - started) / 100) / 10;
  for (;;) {
    const pending = results.map((r, i) => [r, i] as const).filter(([r]) => !FINAL.has(r.state));
    if (pending.length === 0) break;
    const timedOut = Date.now() - started > options.timeoutSeconds * 1000;
    await Promise.all(
      pending.map(async ([result, i]) => {
        const { entity, requestId } = requests[i]!;
        const record = await ledgerOf(entity).get(entity.arn);
        let state = stateOf(action, record, requestId, before[i]);
        let detail = record && touches(record, requestId) ? lastEvent(record, requestId) : '';
        if (state === 'not-contained') detail = 'lockdown had no containment of it to release';
        if (timedOut && !FINAL.has(state)) {
          detail =
            state === 'waiting'
              ? `no outcome in the ledger after ${options.timeoutSeconds} s: refused by the intake (see the audit email), or still queued`
              : `still ${state} after ${options.timeoutSeconds} s`;
          state = 'timed-out';
        }
        if (state !== result.state) {
          Object.assign(result, { state, detail, seconds: elapsed() });
          output.progress(`${state.padEnd(13)} ${entity.requestedArn}  (${result.seconds} s)${detail ? `  ${detail}` : ''}`);
        }
      }),
    );
    if (results.some((r) => !FINAL.has(r.state))) await sleep(options.intervalMs ?? 1000);
  }
  return results;
}

export const allSucceeded = (results: FollowResult[]) => results.every((r) => SUCCESS.has(r.state));
