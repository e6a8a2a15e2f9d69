import type { ZodMiniType, output } from 'zod/mini';
import { ContainmentError } from './failure';
import type { PlannedStep, StepKind } from './step';

/** What a plan says of a step besides its kind and params. */
export type StepFields = Omit<PlannedStep, 'kind' | 'params'>;

/** How a kind acts on a member account (apply, undo) and recognises its effect (inEffect), its params typed. */
export interface StepKindImplementation<Ctx, State, P> {
  apply(ctx: Ctx, params: P, step: PlannedStep): Promise<void>;
  /** May return a note for the ledger and the release email (e.g. what the release cannot restore). */
  undo(ctx: Ctx, params: P, step: PlannedStep): Promise<void | string>;
  /** Whether the step's effect is visible in a fresh observation (verify). */
  inEffect(state: State, params: P, step: PlannedStep): boolean;
  /** An error that means "containment does not need this step": the reason to record. */
  skipReason?(error: unknown, step: PlannedStep): string | undefined;
}

/** A step kind ready for the executor: its implementation, reading each step's params through its declaration. */
export interface DefinedStepKind<Ctx, State, P> extends StepKind<Ctx, State>, Pick<StepKindDeclaration<string, P>, 'kind' | 'paramsOf'> {}

/**
 * A step kind's declaration: its name and its params, one zod schema (the params type is inferred
 * from it). Pure, so a plan (domain code, no AWS SDK) builds every step through its kind's
 * declaration and a misspelt kind or parameter is a type error; the kind's implementation (steps/,
 * one file per kind) is made from the same declaration.
 */
export interface StepKindDeclaration<K extends string, P> {
  readonly kind: K;
  /** The step's params as this kind reads them; a corrupt or foreign step fails loudly with its id. */
  paramsOf(step: PlannedStep): P;
  /** A step of this kind with these params (checked against the schema too). */
  step(fields: StepFields, params: P): PlannedStep;
  /** This kind acting with a context Ctx on an observation State. */
  implement<Ctx, State>(implementation: StepKindImplementation<Ctx, State, P>): DefinedStepKind<Ctx, State, P>;
}

/** The params type of a declared kind. */
export type StepParams<D> = D extends StepKindDeclaration<string, infer P> ? P : never;

export function declareStepKind<const K extends string, S extends ZodMiniType>(kind: K, params: S): StepKindDeclaration<K, output<S>> {
  const paramsOf = (step: PlannedStep): output<S> => {
    if (step.kind !== kind) throw corrupt(step, `it is of kind ${step.kind}, not ${kind}`);
    const parsed = params.safeParse(step.params);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw corrupt(step, `its params do not fit ${kind}${issue ? ` (${issue.path.join('.') || 'params'}: ${issue.message})` : ''}`);
    }
    return parsed.data;
  };
  return {
    kind,
    paramsOf,
    step: (fields, stepParams) => {
      const step = { kind, ...fields, params: stepParams as PlannedStep['params'] };
      paramsOf(step);
      return step;
    },
    implement: (implementation) => ({
      kind,
      paramsOf,
      check: (step) => void paramsOf(step),
      apply: (ctx, step) => implementation.apply(ctx, paramsOf(step), step),
      undo: (ctx, step) => implementation.undo(ctx, paramsOf(step), step),
      inEffect: (state, step) => implementation.inEffect(state, paramsOf(step), step),
      ...(implementation.skipReason ? { skipReason: implementation.skipReason } : {}),
    }),
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
