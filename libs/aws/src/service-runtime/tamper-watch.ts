import type { Outcome } from '@lockdown/containment';
import type { DispatchMessage, RegionProgress } from '@lockdown/contracts';
import { MAX_DELAY_SECONDS } from './own-queue';

/** Reads WATCH_SCHEDULE (comma-separated seconds, increasing); empty or unset: no watch. */
export function parseWatchSchedule(value: string | undefined): number[] {
  const parts = (value ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const seconds = parts.map(Number);
  const valid = seconds.every((s, i) => Number.isInteger(s) && s >= 1 && s <= 86_400 && (i === 0 || s > seconds[i - 1]!));
  if (!valid) throw new Error(`WATCH_SCHEDULE must be increasing whole seconds from 1 to 86400, comma-separated; got "${value}"`);
  return seconds;
}

const at = (since: string, seconds: number) => new Date(Date.parse(since) + seconds * 1000).toISOString();
const secondsUntil = (dueAt: string, now: Date) => Math.max(0, Math.ceil((Date.parse(dueAt) - now.getTime()) / 1000));

/** A watch tick that arrived before it is due (a wait longer than SQS's 15-minute delay): how long it must still wait. */
export function watchWait(message: DispatchMessage, now: Date): number {
  return message.watch ? secondsUntil(message.watch.dueAt, now) : 0;
}

/** Outcomes that are not worth an audit email: a tick that found everything held, a watch that ended. */
export function quietOutcome(message: DispatchMessage, outcome: Outcome): boolean {
  return outcome.kind === 'held' || (message.watch !== undefined && outcome.kind === 'noop');
}

/**
 * How many reported CloudTrail event ids a tick carries: the latest. A pass reads again only the last
 * 15 minutes before where it stopped (CloudTrail's lag), so only recent ids can come back; an older
 * one that did would be reported twice, never missed. 1,000 ids (about 50 KB) keep the message far
 * under SQS's 256 KB however many findings an attacker causes.
 */
const CARRIED_EVENT_IDS = 1000;

/**
 * The next tick of the tamper watch after this message's outcome, or none: the first after a
 * containment finishes, the next after a tick that held or undid tampering, none after the last
 * tick, a release, a dry run, or a watch that ended.
 */
export function nextWatchTick(
  message: DispatchMessage,
  outcome: Outcome,
  schedule: readonly number[],
  now: Date,
  /** The persistence sweep's state: the CloudTrail event ids reported so far, how far each region was read. */
  swept: { reported: readonly string[]; progress?: readonly RegionProgress[] } = { reported: [] },
): { message: DispatchMessage; delaySeconds: number } | undefined {
  if (message.dryRun || message.action !== 'contain' || schedule.length === 0) return undefined;
  let tick: number;
  let since: string;
  if (!message.watch) {
    if (outcome.kind !== 'contained') return undefined;
    tick = 1;
    since = now.toISOString();
  } else {
    if ((outcome.kind !== 'held' && outcome.kind !== 'tampered') || message.watch.tick >= schedule.length) return undefined;
    tick = message.watch.tick + 1;
    since = message.watch.since;
  }
  const dueAt = at(since, schedule[tick - 1]!);
  const { phase: _phase, ...rest } = message;
  return {
    message: {
      ...rest,
      watch: {
        tick,
        since,
        dueAt,
        ...(swept.reported.length > 0 ? { swept: swept.reported.slice(-CARRIED_EVENT_IDS) } : {}),
        ...(swept.progress?.length ? { sweepProgress: [...swept.progress] } : {}),
      },
    },
    delaySeconds: Math.min(secondsUntil(dueAt, now), MAX_DELAY_SECONDS),
  };
}
