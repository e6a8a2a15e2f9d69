import { setTimeout as delay } from 'node:timers/promises';
import { AttackerClients, Target, Undo } from './targets';

/** Whose credentials: the compromised entity's own, or a second administrator the attacker created before containment. */
export type Actor = 'own credentials' | 'second administrator';

/** One thing an attacker did: read the entity, or undo one of lockdown's changes; and what AWS answered. */
export interface AttackEvent {
  /** Milliseconds since the containment request. */
  at: number;
  actor: Actor;
  kind: 'observe' | 'tamper';
  what: string;
  /** Allowed (took effect), refused by AWS (authorization, or credentials no longer accepted), or failed otherwise. */
  result: 'allowed' | 'refused' | 'failed';
}

/** What AWS answers when it refuses a caller: a policy's denial, or credentials it no longer accepts. */
export const isRefusal = (error: unknown) =>
  /AccessDenied|UnauthorizedOperation|InvalidClientTokenId|AuthFailure|UnrecognizedClient|InvalidAccessKeyId/.test(
    (error as Error)?.name ?? '',
  );

/**
 * An attacker on one entity, as published research models it ("notyet"): every `pollMs` it reads
 * the entity with the credentials it holds and undoes every lockdown change it sees, all at once.
 * When it can no longer read, it retries the undos it saw last (it knows what lockdown changed).
 */
export class Attacker {
  readonly events: AttackEvent[] = [];
  private running = false;
  private loop: Promise<void> | undefined;
  private remembered: Undo[] = [];

  constructor(
    readonly actor: Actor,
    private readonly clients: AttackerClients,
    private readonly target: Target,
    /** Milliseconds since the containment request (negative before it). */
    private readonly clock: () => number,
    readonly pollMs = 500,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const started = performance.now();
      await this.poll();
      await delay(Math.max(0, this.pollMs - (performance.now() - started)));
    }
  }

  private async poll(): Promise<void> {
    const at = this.clock();
    let undos: Undo[];
    try {
      undos = await this.target(this.clients);
      this.events.push({ at, actor: this.actor, kind: 'observe', what: 'read the entity', result: 'allowed' });
      this.remembered = undos;
    } catch (error) {
      this.events.push({
        at,
        actor: this.actor,
        kind: 'observe',
        what: 'read the entity',
        result: isRefusal(error) ? 'refused' : 'failed',
      });
      undos = this.remembered;
    }
    const results = await Promise.allSettled(undos.map((u) => u.call()));
    results.forEach((r, i) =>
      this.events.push({
        at: this.clock(),
        actor: this.actor,
        kind: 'tamper',
        what: undos[i]!.what,
        result: r.status === 'fulfilled' ? 'allowed' : isRefusal(r.reason) ? 'refused' : 'failed',
      }),
    );
  }
}
