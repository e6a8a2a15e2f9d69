import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLedger } from '@lockdown/aws';
import type { LedgerRecord } from '@lockdown/containment';
import { Action, EntityRef, ServiceName, ledgerTableName, serviceFor } from '@lockdown/contracts';
import { setTimeout as sleep } from 'node:timers/promises';
import { ledgerProblem } from '../errors';
import type { IntakeDecision } from '../intake-watch';
import { Output } from '../output';

/** Where a request stands, as its service's ledger shows it. */
export type FollowState =
  'waiting' | 'accepted' | 'containing' | 'releasing' | 'contained' | 'released' | 'not-contained' | 'refused' | 'failed' | 'timed-out';
const FINAL: ReadonlySet<FollowState> = new Set(['contained', 'released', 'not-contained', 'refused', 'failed', 'timed-out']);
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
  tableOf?: (service: ServiceName) => string;
  /** The intake's decisions as they happen (none: a refusal shows only at the timeout). */
  intake?: { poll(): Promise<IntakeDecision[]> };
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

/** Why a request that never reached an outcome timed out, by what the intake said of it. */
function timeoutDetail(state: FollowState, seconds: number, watched: boolean): string {
  if (state === 'accepted')
    return `accepted by the intake, but no outcome in the ledger after ${seconds} s: still queued, or failing (see the service's DLQ)`;
  if (state !== 'waiting') return `still ${state} after ${seconds} s`;
  return watched
    ? `the intake did not answer in ${seconds} s (see the lockdown-intake-failures queue)`
    : `no outcome in the ledger after ${seconds} s: refused by the intake (see the audit email), or still queued`;
}

/**
 * Follows published requests in their services' ledgers (and the intake's decisions) until each is
 * contained, released, refused or failed (or the timeout passes), with a live line per request.
 */
export async function followRequests(
  action: Action,
  requests: FollowedRequest[],
  options: FollowOptions,
  dynamodb: DynamoDBClient,
  output: Output,
): Promise<FollowResult[]> {
  const started = Date.now();
  const region = await dynamodb.config.region();
  const tableOf = options.tableOf ?? ledgerTableName;
  const read = (entity: EntityRef) => {
    const table = tableOf(serviceFor(entity.type));
    return new DynamoDbLedger(table, dynamodb).get(entity.arn).catch((error: unknown) => {
      throw ledgerProblem(error, table, region);
    });
  };
  const before = action === 'release' ? await Promise.all(requests.map((r) => read(r.entity))) : [];
  const results: FollowResult[] = requests.map((r) => ({
    arn: r.entity.arn,
    requestId: r.requestId,
    state: 'waiting',
    detail: '',
    seconds: 0,
  }));
  const decisions = new Map<string, IntakeDecision>();
  const elapsed = () => Math.round((Date.now() - started) / 100) / 10;
  const live = output.live();
  const show = () =>
    live.show(
      results.map((r, i) => ({
        key: r.requestId,
        state: `${r.state} ${r.detail}`,
        text: `${r.state.padEnd(13)} ${requests[i]!.entity.requestedArn}  (${FINAL.has(r.state) ? r.seconds : elapsed()} s)${r.detail ? `  ${r.detail}` : ''}`,
      })),
    );
  for (;;) {
    if (results.every((r) => FINAL.has(r.state))) break;
    const timedOut = Date.now() - started > options.timeoutSeconds * 1000;
    for (const decision of (await options.intake?.poll()) ?? []) decisions.set(decision.requestId, decision);
    await Promise.all(
      results.map(async (result, i) => {
        if (FINAL.has(result.state)) return;
        const { entity, requestId } = requests[i]!;
        const record = await read(entity);
        let state = stateOf(action, record, requestId, before[i]);
        let detail = record && touches(record, requestId) ? lastEvent(record, requestId) : '';
        if (state === 'not-contained') detail = 'lockdown had no containment of it to release';
        const decision = decisions.get(requestId);
        if (state === 'waiting' && decision?.kind === 'rejected') {
          state = 'refused';
          detail = `refused by the intake${decision.code ? ` (${decision.code})` : ''}: ${decision.detail}`;
        } else if (state === 'waiting' && decision?.kind === 'received') {
          state = 'accepted';
          detail = decision.detail;
        }
        if (timedOut && !FINAL.has(state)) {
          detail = timeoutDetail(state, options.timeoutSeconds, options.intake !== undefined);
          state = 'timed-out';
        }
        if (state !== result.state || detail !== result.detail) Object.assign(result, { state, detail, seconds: elapsed() });
      }),
    );
    show();
    if (results.some((r) => !FINAL.has(r.state))) await sleep(options.intervalMs ?? 1000);
  }
  live.done();
  return results;
}

/** Whether a request ended as asked (contained, released, or there was nothing to release). */
export const succeeded = (result: FollowResult) => SUCCESS.has(result.state);
