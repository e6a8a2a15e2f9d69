export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * One planned containment step: pure data, so that a release in another invocation (or another
 * container) can undo it from the ledger alone.
 */
export interface PlannedStep {
  /** Unique in a plan and stable across re-plans, e.g. `deactivate-key:AKIA...`. */
  id: string;
  /** Which step kind applies and undoes it. */
  kind: string;
  description: string;
  /**
   * Steps run stage by stage; the steps of one stage are independent and run in parallel.
   * Stage 0 holds only self-identifying steps (their effect carries lockdown's own name, so an
   * observation can always tell it apart from the entity's own state): they may run while the
   * ledger record is still being written.
   */
  stage: number;
  /** What apply and undo need. */
  params: Json;
  /** The pre-containment value this step replaces (what undo restores). */
  original: Json;
  /** The API calls the step makes, for `lockdown plan` and least-privilege checks. */
  calls: { apply: string[]; undo: string[] };
  /** A later step whose undo restores the same value: once that one is undone, this one is too. */
  undoneBy?: string;
}

/** How a step kind acts on a member account (ctx) and recognises its effect in an observation. */
export interface StepKind<Ctx, State> {
  apply(ctx: Ctx, step: PlannedStep): Promise<void>;
  /** May return a note for the ledger and the release email (e.g. what the release cannot restore). */
  undo(ctx: Ctx, step: PlannedStep): Promise<void | string>;
  /** Whether the step's effect is visible in a fresh observation (used by verify). */
  inEffect(state: State, step: PlannedStep): boolean;
  /**
   * An error that means "this step cannot be applied, and containment does not need it"
   * (e.g. the managed-policy quota is full but the inline deny is in place): the reason to record.
   */
  skipReason?(error: unknown, step: PlannedStep): string | undefined;
  /** Throws when the step's params do not fit the kind (checked on plan and on ledger read). */
  check?(step: PlannedStep): void;
}

/** What a service gives the engine: observe, plan (pure), and its step kinds. */
export interface ContainmentAdapter<Ctx, State> {
  observe(ctx: Ctx): Promise<State>;
  plan(state: State): PlannedStep[];
  /** The pre-containment state to record, as JSON. */
  snapshot(state: State): Json;
  kinds: Record<string, StepKind<Ctx, State>>;
  /** Problems that mean the entity is not contained in this observation (empty when it is). */
  containmentGaps?(state: State, steps: readonly PlannedStep[]): string[];
  /** Facts a responder should read in the audit (e.g. an interface left alone, and why). */
  notes?(state: State): string[];
  /**
   * Steps that need no observation (lockdown's own names and values, the same in every plan):
   * a containment applies them on receipt, in parallel with observing, so the first effect lands
   * one round trip after the message arrives. Each must also be in the plan, with the same id.
   */
  onReceipt?(): PlannedStep[];
  /**
   * What an observation needs to know from the recorded steps (e.g. the role a function's deny is
   * on, the mappings it tagged): called before verify and before each tamper-watch tick (a fresh
   * invocation), so the observation reads everything the steps say is in effect.
   */
  recall?(ctx: Ctx, steps: readonly PlannedStep[]): void;
}
