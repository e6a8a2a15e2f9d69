import type { ZodMiniType } from 'zod/mini';
import { ContainmentError } from './failure';
import type { PlannedStep, StepKind } from './step';

/** A step kind with typed params: one definition per kind (apply, undo, inEffect), one file per kind. */
export interface StepKindSpec<Ctx, State, P> {
  kind: string;
  /** The params of a step of this kind, checked when a plan is made and when a ledger record is read back. */
  params: ZodMiniType<P>;
  apply(ctx: Ctx, params: P, step: PlannedStep): Promise<void>;
  /** May return a note for the ledger and the release email (e.g. what the release cannot restore). */
  undo(ctx: Ctx, params: P, step: PlannedStep): Promise<void | string>;
  /** Whether the step's effect is visible in a fresh observation (verify). */
  inEffect(state: State, params: P, step: PlannedStep): boolean;
  /** An error that means "containment does not need this step": the reason to record. */
  skipReason?(error: unknown, step: PlannedStep): string | undefined;
}

export interface DefinedStepKind<Ctx, State, P> extends StepKind<Ctx, State> {
  readonly kind: string;
  /** The step's params as this kind reads them; a corrupt or foreign step fails loudly with its id. */
  paramsOf(step: PlannedStep): P;
  /** A step of this kind with these params (its params checked). */
  step(fields: Omit<PlannedStep, 'kind' | 'params'>, params: P): PlannedStep;
}

export function defineStepKind<Ctx, State, P>(spec: StepKindSpec<Ctx, State, P>): DefinedStepKind<Ctx, State, P> {
  const paramsOf = (step: PlannedStep): P => {
    if (step.kind !== spec.kind) throw corrupt(step, `it is of kind ${step.kind}, not ${spec.kind}`);
    const parsed = spec.params.safeParse(step.params);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw corrupt(step, `its params do not fit ${spec.kind}${issue ? ` (${issue.path.join('.') || 'params'}: ${issue.message})` : ''}`);
    }
    return parsed.data;
  };
  return {
    kind: spec.kind,
    paramsOf,
    check: (step) => void paramsOf(step),
    step: (fields, params) => {
      const step = { ...fields, kind: spec.kind, params: params as PlannedStep['params'] };
      paramsOf(step);
      return step;
    },
    apply: (ctx, step) => spec.apply(ctx, paramsOf(step), step),
    undo: (ctx, step) => spec.undo(ctx, paramsOf(step), step),
    inEffect: (state, step) => spec.inEffect(state, paramsOf(step), step),
    ...(spec.skipReason ? { skipReason: spec.skipReason } : {}),
  };
}

/** An adapter's kinds by name, from their definitions. */
export function stepKinds<Ctx, State>(...kinds: Array<DefinedStepKind<Ctx, State, unknown>>): Record<string, StepKind<Ctx, State>> {
  return Object.fromEntries(kinds.map((k) => [k.kind, k]));
}

const corrupt = (step: PlannedStep, why: string) =>
  new ContainmentError(
    `step ${step.id} cannot be run: ${why}; the plan or the ledger record is corrupt or foreign`,
    { retryable: false, code: 'corrupt-step' },
    step.id,
  );
