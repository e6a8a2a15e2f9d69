import type { AttackEvent } from './attacker';

/** One compromised entity under attack, in one configuration. */
export interface EntityScore {
  entity: string;
  configuration: 'watch only' | 'guard';
  /** From the request to lockdown's CONTAINED report (verified), in seconds. */
  containedSeconds: number | null;
  /**
   * From the request to the moment from which every attacker call was refused until the end
   * (the entity's own credentials no longer accepted, no tampering took effect), in seconds; null:
   * the attacker still succeeded at the end.
   */
  heldSeconds: number | null;
  /** Undo calls made, by both actors. */
  attempts: number;
  /** Refused by AWS: never took effect. */
  blocked: number;
  tookEffect: number;
  /** Steps lockdown found undone and put back: its verify (the CONTAINED report) and its tamper watch (TAMPERED reports). */
  putBack: number;
  /** TAMPERED reports. */
  tamperedReports: number;
  /** Seconds after the request in which the entity's own credentials were still accepted (at the attacker's polling resolution). */
  exposedSeconds: number;
}

export interface EntityOutcome {
  entity: string;
  events: AttackEvent[];
  /** Milliseconds since the request at which lockdown's CONTAINED report arrived. */
  containedAt?: number;
  /** Steps the CONTAINED report says verify found undone and re-applied. */
  reappliedByVerify: number;
  /** Each TAMPERED report for the entity: when it arrived (ms since the request), how many steps it put back. */
  tampered: Array<{ at: number; steps: number }>;
  /** When the attack stopped, in milliseconds since the request. */
  end: number;
  pollMs: number;
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** The scorecard line of one entity, from what its attackers saw (pure: the attack's record in, figures out). */
export function scoreEntity(configuration: EntityScore['configuration'], o: EntityOutcome): EntityScore {
  const after = o.events.filter((e) => e.at >= 0);
  const own = after.filter((e) => e.actor === 'own credentials' && e.kind === 'observe');
  const tampering = after.filter((e) => e.kind === 'tamper');
  // The attacker's last success: its own credentials accepted, or a change of lockdown's undone.
  const successes = [...own, ...tampering].filter((e) => e.result === 'allowed').map((e) => e.at);
  const lastSuccess = successes.length > 0 ? Math.max(...successes) : Number.NEGATIVE_INFINITY;
  const heldFrom = own.find((e) => e.result === 'refused' && e.at > lastSuccess);
  const held = heldFrom !== undefined && lastSuccess < o.end - 2 * o.pollMs;
  return {
    entity: o.entity,
    configuration,
    containedSeconds: o.containedAt !== undefined ? seconds(o.containedAt) : null,
    heldSeconds: held ? seconds(heldFrom.at) : null,
    attempts: tampering.length,
    blocked: tampering.filter((e) => e.result === 'refused').length,
    tookEffect: tampering.filter((e) => e.result === 'allowed').length,
    putBack: o.reappliedByVerify + o.tampered.reduce((sum, t) => sum + t.steps, 0),
    tamperedReports: o.tampered.length,
    exposedSeconds: seconds(own.filter((e) => e.result === 'allowed').length * o.pollMs),
  };
}
