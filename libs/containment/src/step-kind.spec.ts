import { number, object } from 'zod/mini';
import { Executor } from './executor';
import { InMemoryLedger } from './in-memory-ledger';
import { PlannedStep } from './step';
import { declareStepKind, stepKinds, type StepParams } from './step-kind';

/** A toy entity with a concurrency setting, and a typed kind that sets it. */
type Toy = { concurrency: number | null; calls: string[] };
const toyKinds = { setConcurrency: declareStepKind('set-concurrency', object({ value: number() })) };
const setConcurrency = toyKinds.setConcurrency.implement<Toy, Toy>({
  apply: async (toy, p) => void (toy.calls.push(`apply ${p.value}`), (toy.concurrency = p.value)),
  undo: async (toy, _p, step) => void (toy.calls.push('undo'), (toy.concurrency = step.original as number | null)),
  inEffect: (state, p) => state.concurrency === p.value,
});
const step = (params: unknown, kind = 'set-concurrency'): PlannedStep => ({
  id: 'concurrency',
  kind,
  description: 'set concurrency',
  stage: 1,
  params: params as PlannedStep['params'],
  original: 5,
  calls: { apply: [], undo: [] },
});
const entity = { arn: 'arn:aws:lambda:eu-west-1:111111111111:function:toy', type: 'lambda-function' };
const request = { requestId: 'req-1', requestedAt: '2026-11-26T04:00:00.000Z' };

const fields = { id: 'c', description: 'd', stage: 1, original: null, calls: { apply: [], undo: [] } };

describe('declareStepKind', () => {
  it('reads typed params, and names the step when they do not fit', () => {
    expect(setConcurrency.paramsOf(step({ value: 0 }))).toEqual({ value: 0 });
    expect(() => setConcurrency.paramsOf(step({ value: 'zero' }))).toThrow(
      /step concurrency cannot be run: its params do not fit set-concurrency \(value:/,
    );
    expect(() => setConcurrency.paramsOf(step({ value: 0 }, 'other'))).toThrow(
      expect.objectContaining({ failure: { retryable: false, code: 'corrupt-step' }, stepId: 'concurrency' }),
    );
  });

  it('builds a checked step', () => {
    const step = toyKinds.setConcurrency.step({ ...fields, undoneBy: 'later' }, { value: 0 });

    expect(step).toEqual({ ...fields, kind: 'set-concurrency', params: { value: 0 }, undoneBy: 'later' });
  });

  // Type tests: `tsc --noEmit` (the typecheck target) fails when a line below @ts-expect-error compiles.
  it('makes a misspelt kind or parameter a type error (and refuses it at run time too)', () => {
    const zero: StepParams<typeof toyKinds.setConcurrency> = { value: 0 };
    expect(toyKinds.setConcurrency.step(fields, zero).params).toEqual({ value: 0 });
    // @ts-expect-error: a misspelt kind
    expect(() => toyKinds.setConcurency.step(fields, zero)).toThrow(TypeError);
    // @ts-expect-error: a misspelt parameter
    expect(() => toyKinds.setConcurrency.step(fields, { valeu: 0 })).toThrow(/params do not fit set-concurrency \(value:/);
    // @ts-expect-error: a parameter of the wrong type
    expect(() => toyKinds.setConcurrency.step(fields, { value: '0' })).toThrow(/params do not fit set-concurrency/);
    // @ts-expect-error: a step field that is not one
    expect(() => toyKinds.setConcurrency.step({ ...fields, stag: 1 }, zero)).not.toThrow();
  });
});

describe('the executor with typed step kinds', () => {
  const adapter = (plan: PlannedStep[]) => ({
    observe: async (toy: Toy) => toy,
    plan: () => plan,
    snapshot: (toy: Toy) => ({ concurrency: toy.concurrency }),
    kinds: stepKinds<Toy, Toy>(setConcurrency),
  });

  it('refuses a plan whose params do not fit their kind before changing anything', async () => {
    const toy: Toy = { concurrency: 5, calls: [] };
    const ledger = new InMemoryLedger();
    await expect(new Executor(adapter([step({ value: '0' })]), ledger).contain(toy, entity, request)).rejects.toMatchObject({
      failure: { code: 'corrupt-step' },
    });
    expect(toy.calls).toEqual([]);
    expect(ledger.records.size).toBe(0);
  });

  it('refuses to release from a corrupt ledger record, naming the step, and undoes nothing', async () => {
    const toy: Toy = { concurrency: 5, calls: [] };
    const ledger = new InMemoryLedger();
    const executor = new Executor(adapter([step({ value: 0 })]), ledger);
    await executor.contain(toy, entity, request);
    ledger.records.get(entity.arn)!.steps[0]!.params = { value: 'tampered' };
    toy.calls.length = 0;

    await expect(executor.release(toy, entity, { requestId: 'rel', requestedAt: request.requestedAt })).rejects.toThrow(
      /step concurrency cannot be run/,
    );
    expect(toy.calls).toEqual([]);
    expect(toy.concurrency).toBe(0);
  });

  it('refuses a step of a kind the service does not know', async () => {
    const toy: Toy = { concurrency: 5, calls: [] };
    await expect(
      new Executor(adapter([step({ value: 0 }, 'foreign')]), new InMemoryLedger()).contain(toy, entity, request),
    ).rejects.toMatchObject({
      failure: { code: 'corrupt-step' },
      message: expect.stringContaining('kind "foreign"'),
    });
  });
});
