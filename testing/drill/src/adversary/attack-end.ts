/** What the campaign knows, in milliseconds since the containment request, when it decides whether the attack may stop. */
export interface AttackClock {
  /** When each CONTAINED report arrived. */
  contained: number[];
  /** When each TAMPERED report arrived (a watch tick that put something back). */
  tampered: number[];
  /** The tamper watch's schedule, seconds after containment. */
  watchSchedule: number[];
  propagationMs: number;
  pollMs: number;
}

/** How long after the watch's last put-back the attackers keep going: enough polls, even on a busy machine, to read it and undo it once more. */
const ANSWER_POLLS = 10;

/**
 * When the attack may stop: once the watch's last tick (due at the last containment plus the
 * schedule's last offset, or later if a TAMPERED report shows it ran late) could have been answered:
 * the attackers read the put-back, undo it, the undo propagates, and their own credentials are seen
 * accepted again, with polls to spare (the scorecard calls an entity held only when the attacker's
 * last success is more than two polls before the end). A fixed end after the last containment let a
 * tick that ran late on a loaded machine look like a hold the watch alone never gives.
 */
export function attackEnd(c: AttackClock): number {
  const lastTick = Math.max(Math.max(...c.contained) + Math.max(...c.watchSchedule) * 1000, ...c.tampered);
  return lastTick + c.propagationMs + ANSWER_POLLS * c.pollMs;
}
