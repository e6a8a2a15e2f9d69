import { Executor } from './executor';
import { ContainmentError, IncompleteContainmentError } from './failure';
import { InMemoryLedger } from './in-memory-ledger';
import { ContainmentAdapter, PlannedStep } from './step';

/** A toy entity: a set of attached policies and access keys with statuses. */
interface Toy {
  policies: Set<string>;
  keys: Map<string, 'Active' | 'Inactive'>;
  inline: Set<string>;
}
type Snapshot = { policies: string[]; keys: Record<string, string>; inline: string[] };

function toyWorld(initial: Partial<Snapshot> = {}) {
  const toy: Toy = {
    policies: new Set(initial.policies ?? ['ReadOnly']),
    keys: new Map(Object.entries(initial.keys ?? { K1: 'Active', K2: 'Inactive' })) as Toy['keys'],
    inline: new Set(initial.inline ?? []),
  };
  const log: string[] = [];
  const hooks: { beforeObserve?: (n: number) => void; failApply?: (step: PlannedStep) => Error | undefined } = {};
  let observations = 0;
  const snapshotOf = (t: Toy): Snapshot => ({
    policies: [...t.policies].sort(),
    keys: Object.fromEntries(t.keys),
    inline: [...t.inline].filter((p) => p !== 'lockdown-deny').sort(),
  });
  const adapter: ContainmentAdapter<Toy, Snapshot> = {
    observe: async (t) => {
      hooks.beforeObserve?.(++observations);
      return snapshotOf(t);
    },
    snapshot: (state) => state,
    plan: (state) => [
      {
        id: 'inline-deny',
        kind: 'inline',
        description: 'put inline deny',
        stage: 0,
        params: 'lockdown-deny',
        original: null,
        calls: { apply: ['x:Put'], undo: ['x:Delete'] },
      },
      ...(state.policies.includes('DenyAll')
        ? []
        : [
            {
              id: 'deny-all',
              kind: 'attach',
              description: 'attach DenyAll',
              stage: 1,
              params: 'DenyAll',
              original: false,
              calls: { apply: ['x:Attach'], undo: ['x:Detach'] },
            },
          ]),
      ...Object.entries(state.keys)
        .filter(([, status]) => status === 'Active')
        .map(([id]) => ({
          id: `key:${id}`,
          kind: 'key',
          description: `deactivate ${id}`,
          stage: 1,
          params: id,
          original: 'Active',
          calls: { apply: ['x:Update'], undo: ['x:Update'] },
        })),
      {
        id: 'tag',
        kind: 'attach',
        description: 'tag',
        stage: 2,
        params: 'Tagged',
        original: false,
        calls: { apply: ['x:Tag'], undo: ['x:Untag'] },
      },
    ],
    kinds: {
      inline: {
        apply: async (t, s) => {
          log.push(`apply ${s.id}`);
          const error = hooks.failApply?.(s);
          if (error) throw error;
          t.inline.add(String(s.params));
        },
        undo: async (t, s) => void (log.push(`undo ${s.id}`), t.inline.delete(String(s.params))),
        inEffect: () => true,
      },
      attach: {
        apply: async (t, s) => {
          log.push(`apply ${s.id}`);
          const error = hooks.failApply?.(s);
          if (error) throw error;
          t.policies.add(String(s.params));
        },
        undo: async (t, s) => void (log.push(`undo ${s.id}`), t.policies.delete(String(s.params))),
        inEffect: (state, s) => state.policies.includes(String(s.params)),
        skipReason: (error) => ((error as Error).name === 'LimitExceeded' ? 'quota full; inline deny in effect' : undefined),
      },
      key: {
        apply: async (t, s) => {
          log.push(`apply ${s.id}`);
          const error = hooks.failApply?.(s);
          if (error) throw error;
          t.keys.set(String(s.params), 'Inactive');
        },
        undo: async (t, s) => void (log.push(`undo ${s.id}`), t.keys.set(String(s.params), s.original as 'Active')),
        inEffect: (state, s) => state.keys[String(s.params)] === 'Inactive',
      },
    },
  };
  return { toy, log, hooks, adapter, snapshot: () => snapshotOf(toy) };
}

const entity = { arn: 'arn:aws:iam::111111111111:user/toy', type: 'iam-user' };
const request = (requestId = 'req-1') => ({ requestId, requestedAt: '2026-11-26T04:00:00.000Z' });

describe('Executor.contain', () => {
  it('runs the plan stage by stage and records every step in the ledger', async () => {
    const world = toyWorld();
    const ledger = new InMemoryLedger();
    const outcome = await new Executor(world.adapter, ledger).contain(world.toy, entity, request());

    expect(outcome.kind).toBe('contained');
    expect(world.log).toEqual(['apply inline-deny', 'apply deny-all', 'apply key:K1', 'apply tag']);
    const record = ledger.records.get(entity.arn)!;
    expect(record.status).toBe('contained');
    expect(record.steps.map((s) => [s.id, s.status])).toEqual([
      ['inline-deny', 'applied'],
      ['deny-all', 'applied'],
      ['key:K1', 'applied'],
      ['tag', 'applied'],
    ]);
    expect(world.snapshot()).toEqual({ policies: ['DenyAll', 'ReadOnly', 'Tagged'], keys: { K1: 'Inactive', K2: 'Inactive' }, inline: [] });
  });

  it('runs the steps of one stage in parallel', async () => {
    const world = toyWorld({ keys: { K1: 'Active', K2: 'Active' } });
    const started: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const original = world.adapter.kinds['key']!.apply;
    world.adapter.kinds['key']!.apply = async (t, s) => {
      started.push(s.id);
      if (started.length === 2) release();
      await gate; // deadlocks unless both keys start before either finishes
      return original(t, s);
    };
    await new Executor(world.adapter, new InMemoryLedger()).contain(world.toy, entity, request());
    expect(started).toEqual(['key:K1', 'key:K2']);
  });

  it('skips completed steps on re-delivery and keeps the original state captured the first time', async () => {
    const world = toyWorld();
    const ledger = new InMemoryLedger();
    const executor = new Executor(world.adapter, ledger);
    await executor.contain(world.toy, entity, request());
    const original = structuredClone(ledger.records.get(entity.arn)!.original);
    world.log.length = 0;

    await executor.contain(world.toy, entity, request());
    await executor.contain(world.toy, entity, request('req-2'));

    expect(world.log).toEqual([]);
    expect(ledger.records.get(entity.arn)!.original).toEqual(original);
    expect(original.state).toEqual({ policies: ['ReadOnly'], keys: { K1: 'Active', K2: 'Inactive' }, inline: [] });
  });

  it('records "original" once when two deliveries run concurrently', async () => {
    const world = toyWorld();
    const ledger = new InMemoryLedger();
    const creates = jest.spyOn(ledger, 'create');
    const executor = new Executor(world.adapter, ledger);
    await Promise.all([executor.contain(world.toy, entity, request()), executor.contain(world.toy, entity, request())]);

    expect((await Promise.all(creates.mock.results.map((r) => r.value))).filter(Boolean)).toHaveLength(1);
    expect(ledger.records.get(entity.arn)!.original.state).toEqual({
      policies: ['ReadOnly'],
      keys: { K1: 'Active', K2: 'Inactive' },
      inline: [],
    });
    expect(ledger.records.get(entity.arn)!.status).toBe('contained');
  });

  it('adds steps for things that appeared since, with their own original values', async () => {
    const world = toyWorld();
    const ledger = new InMemoryLedger();
    const executor = new Executor(world.adapter, ledger);
    await executor.contain(world.toy, entity, request());
    world.toy.keys.set('K3', 'Active'); // created by the attacker after containment

    await executor.contain(world.toy, entity, request('req-2'));

    const record = ledger.records.get(entity.arn)!;
    expect(record.steps.find((s) => s.id === 'key:K3')).toMatchObject({ status: 'applied', original: 'Active' });
    expect(world.toy.keys.get('K3')).toBe('Inactive');
  });

  it('verifies and re-applies a step an attacker undid in between', async () => {
    const world = toyWorld();
    world.hooks.beforeObserve = (n) => {
      if (n === 2) world.toy.keys.set('K1', 'Active'); // the attacker reactivates the key before verify reads
    };
    const ledger = new InMemoryLedger();
    const outcome = await new Executor(world.adapter, ledger).contain(world.toy, entity, request());

    expect(outcome.reapplied).toEqual(['key:K1']);
    expect(world.toy.keys.get('K1')).toBe('Inactive');
    expect(ledger.records.get(entity.arn)!.steps.find((s) => s.id === 'key:K1')!.status).toBe('reapplied');
  });

  it('re-applies what a stale read shows undone, reads back, and reports contained', async () => {
    const world = toyWorld();
    const observe = world.adapter.observe;
    let reads = 0;
    // The first read of verify is stale: it still shows K1 active.
    world.adapter.observe = async (t) => {
      const state = await observe(t);
      reads += 1;
      return reads === 2 ? { ...state, keys: { ...state.keys, K1: 'Active' } } : state;
    };
    const outcome = await new Executor(world.adapter, new InMemoryLedger()).contain(world.toy, entity, request());

    expect(outcome).toMatchObject({ kind: 'contained', reapplied: ['key:K1'] });
    expect(reads).toBe(3); // observe, verify, read-back
  });

  it('never reports contained when the read-back still shows a step undone: the attempt fails and is retried', async () => {
    const world = toyWorld();
    world.hooks.beforeObserve = (n) => {
      if (n >= 2) world.toy.keys.set('K1', 'Active'); // the attacker undoes it before every read
    };
    const ledger = new InMemoryLedger();
    await expect(new Executor(world.adapter, ledger).contain(world.toy, entity, request())).rejects.toMatchObject({
      failure: { retryable: true, code: 'not-contained' },
      message: expect.stringContaining('key:K1'),
    });
    expect(ledger.records.get(entity.arn)!.status).toBe('failed');
  });

  it('records a failing step, reports it by id with its retry class, and finishes on the next delivery', async () => {
    const world = toyWorld();
    world.hooks.failApply = (s) => (s.id === 'key:K1' ? Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }) : undefined);
    const ledger = new InMemoryLedger();
    const executor = new Executor(world.adapter, ledger);

    const error = await executor.contain(world.toy, entity, request()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContainmentError);
    expect(error).toMatchObject({ stepId: 'key:K1', failure: { retryable: true, code: 'throttled' } });
    expect(ledger.records.get(entity.arn)!.status).toBe('failed');

    world.hooks.failApply = undefined;
    await executor.contain(world.toy, entity, request());
    expect(ledger.records.get(entity.arn)!.status).toBe('contained');
    expect(ledger.records.get(entity.arn)!.original.state).toMatchObject({ keys: { K1: 'Active' } });
  });

  it('applies every step that does not depend on a failed one, and says what holds and what does not', async () => {
    const world = toyWorld();
    world.hooks.failApply = (s) =>
      // The SDK's name for IAM's wire code LimitExceeded (the inline-policy size quota).
      s.id === 'inline-deny'
        ? Object.assign(new Error('Maximum policy size of 10240 bytes exceeded'), { name: 'LimitExceededException' })
        : undefined;
    const ledger = new InMemoryLedger();

    const error = await new Executor(world.adapter, ledger).contain(world.toy, entity, request()).catch((e: unknown) => e);

    // The stage-0 deny failed; stages 1 and 2 ran all the same.
    expect(world.toy.policies.has('DenyAll')).toBe(true);
    expect(world.toy.keys.get('K1')).toBe('Inactive');
    expect(world.toy.policies.has('Tagged')).toBe(true);
    expect(world.log.filter((l) => l === 'apply inline-deny')).toHaveLength(1); // not tried twice in one attempt
    expect(error).toBeInstanceOf(IncompleteContainmentError);
    expect(error).toMatchObject({ stepId: 'inline-deny', failure: { retryable: false, code: 'limit-exceeded' } });
    const message = (error as Error).message;
    expect(message).toContain('could not apply step "inline-deny" (put inline deny): LimitExceededException: Maximum policy size');
    expect(message).toContain('applied and holding: deny-all, key:K1, tag');
    const record = ledger.records.get(entity.arn)!;
    expect(record.status).toBe('failed');
    expect(record.steps.map((s) => [s.id, s.status])).toEqual([
      ['inline-deny', 'failed'],
      ['deny-all', 'applied'],
      ['key:K1', 'applied'],
      ['tag', 'applied'],
    ]);
    expect((error as IncompleteContainmentError).steps.find((s) => s.id === 'inline-deny')!.note).toContain('LimitExceeded');
  });

  it('retries an attempt while one of its failures may pass on a retry, and releases exactly what was applied', async () => {
    const world = toyWorld();
    const before = world.snapshot();
    world.hooks.failApply = (s) =>
      s.id === 'inline-deny'
        ? Object.assign(new Error('quota'), { name: 'LimitExceededException' })
        : s.id === 'tag'
          ? Object.assign(new Error('Rate exceeded'), { name: 'Throttling' })
          : undefined;
    const ledger = new InMemoryLedger();
    const executor = new Executor(world.adapter, ledger);

    await expect(executor.contain(world.toy, entity, request())).rejects.toMatchObject({
      stepId: 'tag',
      failure: { retryable: true, code: 'throttled' },
    });
    await executor.release(world.toy, entity, request('rel-1'));

    expect(world.snapshot()).toEqual(before);
  });

  it('records a step as skipped when its kind says containment does not need it', async () => {
    const world = toyWorld();
    world.hooks.failApply = (s) => (s.id === 'deny-all' ? Object.assign(new Error('quota'), { name: 'LimitExceeded' }) : undefined);
    const ledger = new InMemoryLedger();
    await new Executor(world.adapter, ledger).contain(world.toy, entity, request());
    expect(ledger.records.get(entity.arn)!.steps.find((s) => s.id === 'deny-all')).toMatchObject({
      status: 'skipped',
      note: 'quota full; inline deny in effect',
    });
  });

  it('fails when the adapter reports the entity is not contained after every step', async () => {
    const world = toyWorld();
    world.adapter.containmentGaps = () => ['no deny in effect'];
    const error = await new Executor(world.adapter, new InMemoryLedger()).contain(world.toy, entity, request()).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: expect.stringContaining('no deny in effect'), failure: { retryable: false } });
  });
});

describe('Executor.contain: steps applied on receipt (the first effect in one round trip)', () => {
  /** The toy adapter, with its inline deny and its tag (value per request) applied on receipt. */
  function receiptWorld() {
    const world = toyWorld();
    const current = { tag: 'Tagged' };
    const plan = world.adapter.plan;
    const receipt = (state?: Snapshot) =>
      plan(state ?? { policies: [], keys: {}, inline: [] })
        .filter((s) => s.id === 'inline-deny' || s.id === 'tag')
        .map((s) => (s.id === 'tag' ? { ...s, params: current.tag } : s));
    world.adapter.plan = (state) => plan(state).map((s) => (s.id === 'tag' ? { ...s, params: current.tag } : s));
    world.adapter.onReceipt = () => receipt();
    return { ...world, current };
  }

  it('applies them while observing, records them applied, and does not apply them again', async () => {
    const world = receiptWorld();
    let observed!: () => void;
    const observing = new Promise<void>((resolve) => (observed = resolve));
    const observe = world.adapter.observe;
    world.adapter.observe = async (t) => {
      await observing; // released only once both receipt steps were applied: they cannot wait for the observation
      return observe(t);
    };
    const kinds = world.adapter.kinds;
    let applied = 0;
    for (const kind of ['inline', 'attach'] as const) {
      const apply = kinds[kind]!.apply;
      kinds[kind]!.apply = async (t, step) => {
        await apply(t, step);
        if ((step.id === 'inline-deny' || step.id === 'tag') && ++applied === 2) observed();
      };
    }
    const ledger = new InMemoryLedger();
    const outcome = await new Executor(world.adapter, ledger).contain(world.toy, entity, request());
    expect(outcome.kind).toBe('contained');
    expect(world.log).toEqual(['apply inline-deny', 'apply tag', 'apply deny-all', 'apply key:K1']);
    expect(ledger.records.get(entity.arn)!.steps.map((s) => [s.id, s.status])).toEqual([
      ['inline-deny', 'applied'],
      ['deny-all', 'applied'],
      ['key:K1', 'applied'],
      ['tag', 'applied'],
    ]);
  });

  it('applies a receipt step that failed again with its stage, and records that', async () => {
    const world = receiptWorld();
    let failures = 0;
    world.hooks.failApply = (step) => (step.id === 'tag' && failures++ === 0 ? new Error('Throttling') : undefined);
    const ledger = new InMemoryLedger();
    await new Executor(world.adapter, ledger).contain(world.toy, entity, request());
    expect(world.log.filter((l) => l === 'apply tag')).toHaveLength(2);
    expect(ledger.records.get(entity.arn)!.steps.find((s) => s.id === 'tag')!.status).toBe('applied');
  });

  it("puts an active containment's recorded values back over a newer request's receipt (no tampering reported)", async () => {
    const world = receiptWorld();
    const ledger = new InMemoryLedger();
    const executor = new Executor(world.adapter, ledger);
    await executor.contain(world.toy, entity, request('req-1'));
    world.log.length = 0;
    world.current.tag = 'Tagged-req-2';
    const outcome = await executor.contain(world.toy, entity, request('req-2'));
    expect(world.log).toEqual(['apply inline-deny', 'apply tag', 'apply tag']);
    expect(outcome.reapplied).toEqual([]);
    expect(ledger.records.get(entity.arn)!.steps.find((s) => s.id === 'tag')!.params).toBe('Tagged');
  });

  it('refuses an adapter whose receipt steps are not in its plan', async () => {
    const world = receiptWorld();
    world.adapter.onReceipt = () => [{ ...world.adapter.plan({ policies: [], keys: {}, inline: [] })[0]!, id: 'elsewhere' }];
    await expect(new Executor(world.adapter, new InMemoryLedger()).contain(world.toy, entity, request())).rejects.toThrow(
      /applied on receipt but not planned: elsewhere/,
    );
  });
});

describe('Executor.dryRun', () => {
  it('returns the plan and changes and records nothing', async () => {
    const world = toyWorld();
    const ledger = new InMemoryLedger();
    const outcome = await new Executor(world.adapter, ledger).dryRun(world.toy, entity);
    expect(outcome.kind).toBe('planned');
    expect(outcome.steps.map((s) => s.id)).toEqual(['inline-deny', 'deny-all', 'key:K1', 'tag']);
    expect(world.log).toEqual([]);
    expect(ledger.records.size).toBe(0);
  });
});

describe('Executor.watch (the tamper watch)', () => {
  it('reports held, and changes nothing, while every step is in effect', async () => {
    const world = toyWorld();
    const executor = new Executor(world.adapter, new InMemoryLedger());
    await executor.contain(world.toy, entity, request());
    world.log.length = 0;
    expect(await executor.watch(world.toy, entity, request())).toMatchObject({ kind: 'held', reapplied: [] });
    expect(world.log).toEqual([]);
  });

  it('re-applies what was undone after containment, says what and when, and records it in the timeline', async () => {
    const world = toyWorld();
    const ledger = new InMemoryLedger();
    const executor = new Executor(world.adapter, ledger, () => new Date('2026-11-26T05:00:00.000Z'));
    await executor.contain(world.toy, entity, request());
    world.toy.keys.set('K1', 'Active'); // a second principal reactivates the key
    world.toy.policies.delete('DenyAll'); // and detaches the deny

    const outcome = await executor.watch(world.toy, entity, request());

    expect(outcome.kind).toBe('tampered');
    expect(outcome.reapplied.sort()).toEqual(['deny-all', 'key:K1']);
    expect(outcome.detail).toMatch(/attach DenyAll; deactivate K1: found undone at 2026-11-26T05:00:00.000Z, re-applied/);
    expect(world.toy.keys.get('K1')).toBe('Inactive');
    expect(world.toy.policies.has('DenyAll')).toBe(true);
    expect(ledger.records.get(entity.arn)!.timeline.at(-1)!.event).toMatch(/tamper watch: .*found undone at 2026-11-26T05:00:00.000Z/);
  });

  it('ends after a release, and for a containment that another one replaced: nothing is touched', async () => {
    const world = toyWorld();
    const executor = new Executor(world.adapter, new InMemoryLedger());
    await executor.contain(world.toy, entity, request());
    await executor.release(world.toy, entity, request('rel-1'));
    world.log.length = 0;
    expect(await executor.watch(world.toy, entity, request())).toMatchObject({
      kind: 'noop',
      watchEnded: true,
      detail: 'watch ended: released by request rel-1',
    });
    await executor.contain(world.toy, entity, request('req-2'));
    world.log.length = 0;
    expect(await executor.watch(world.toy, entity, request())).toMatchObject({ kind: 'noop', watchEnded: true });
    expect(world.log).toEqual([]);
  });

  it('undoes again what it re-applied when a release started meanwhile (a concurrent delivery): the release wins', async () => {
    const world = toyWorld();
    const ledger = new InMemoryLedger();
    const executor = new Executor(world.adapter, ledger);
    await executor.contain(world.toy, entity, request());
    world.toy.keys.set('K1', 'Active');
    const apply = world.adapter.kinds['key']!.apply;
    world.adapter.kinds['key']!.apply = async (t, step) => {
      await apply(t, step);
      ledger.records.get(entity.arn)!.status = 'releasing'; // the release message, delivered at the same moment
    };

    const outcome = await executor.watch(world.toy, entity, request());

    expect(outcome).toMatchObject({
      kind: 'noop',
      watchEnded: true,
      detail: expect.stringMatching(/re-applied meanwhile were undone again/),
    });
    expect(world.toy.keys.get('K1')).toBe('Active');
  });

  it('never reports held when the read-back still shows a step undone: the tick fails and is retried', async () => {
    const world = toyWorld();
    const executor = new Executor(world.adapter, new InMemoryLedger());
    await executor.contain(world.toy, entity, request());
    world.adapter.kinds['key']!.apply = async () => undefined; // the re-apply does not stick
    world.toy.keys.set('K1', 'Active');
    await expect(executor.watch(world.toy, entity, request())).rejects.toMatchObject({
      failure: { retryable: true, code: 'not-contained' },
    });
  });
});

describe('Executor.release', () => {
  it('undoes the recorded steps in reverse stage order and restores the original state', async () => {
    const world = toyWorld();
    const before = world.snapshot();
    const ledger = new InMemoryLedger();
    const executor = new Executor(world.adapter, ledger);
    await executor.contain(world.toy, entity, request());
    world.log.length = 0;

    const outcome = await executor.release(world.toy, entity, request('rel-1'));

    expect(outcome.kind).toBe('released');
    expect(world.log).toEqual(['undo tag', 'undo deny-all', 'undo key:K1', 'undo inline-deny']);
    expect(world.snapshot()).toEqual(before);
    expect(ledger.records.get(entity.arn)).toMatchObject({ status: 'released', release: { requestId: 'rel-1' } });
  });

  it('is a no-op with a reason for an entity that is not contained', async () => {
    const world = toyWorld();
    const outcome = await new Executor(world.adapter, new InMemoryLedger()).release(world.toy, entity, request('rel-1'));
    expect(outcome).toMatchObject({ kind: 'noop', detail: expect.stringContaining('no containment record') });
    expect(world.log).toEqual([]);
  });

  it('says so when released twice, and a new containment starts a new cycle with a fresh original', async () => {
    const world = toyWorld();
    const ledger = new InMemoryLedger();
    const executor = new Executor(world.adapter, ledger);
    await executor.contain(world.toy, entity, request());
    await executor.release(world.toy, entity, request('rel-1'));
    expect((await executor.release(world.toy, entity, request('rel-2'))).detail).toContain('already released by request rel-1');

    world.toy.policies.add('PowerUser');
    await executor.contain(world.toy, entity, request('req-3'));
    const record = ledger.records.get(entity.arn)!;
    expect(record.cycle).toBe(2);
    expect(record.original.state).toMatchObject({ policies: ['PowerUser', 'ReadOnly'] });
  });

  it('can release a containment that failed half-way', async () => {
    const world = toyWorld();
    const before = world.snapshot();
    world.hooks.failApply = (s) => (s.id === 'tag' ? Object.assign(new Error('denied'), { name: 'AccessDenied' }) : undefined);
    const ledger = new InMemoryLedger();
    const executor = new Executor(world.adapter, ledger);
    await expect(executor.contain(world.toy, entity, request())).rejects.toMatchObject({
      failure: { retryable: false, code: 'access-denied' },
    });

    await executor.release(world.toy, entity, request('rel-1'));
    expect(world.snapshot()).toEqual(before);
  });
});

describe('Executor.release wins over a containment still being retried', () => {
  it('does not contain again when a retry of the released request arrives after the release', async () => {
    const world = toyWorld();
    const before = world.snapshot();
    world.hooks.failApply = (s) => (s.id === 'tag' ? Object.assign(new Error('slow down'), { name: 'Throttling' }) : undefined);
    const ledger = new InMemoryLedger();
    const executor = new Executor(world.adapter, ledger);
    await expect(executor.contain(world.toy, entity, request())).rejects.toBeDefined();
    await executor.release(world.toy, entity, request('rel-1'));
    world.hooks.failApply = undefined;

    // SQS redelivers the first request (it failed and may pass on a retry): the release came in between.
    const outcome = await executor.contain(world.toy, entity, request(), { onReceipt: false });

    expect(outcome).toMatchObject({ kind: 'noop', detail: expect.stringMatching(/released by request rel-1 .* the release wins/) });
    expect(world.snapshot()).toEqual(before);
    expect((await ledger.get(entity.arn))?.status).toBe('released');
    // A new request after the release is a new containment.
    expect((await executor.contain(world.toy, entity, request('req-2'))).kind).toBe('contained');
  });
});

describe('Executor phases', () => {
  const phased = () => {
    const world = toyWorld({ keys: {} });
    const plan = world.adapter.plan;
    world.adapter.plan = (state) => [
      ...plan(state),
      {
        id: 'untrack',
        kind: 'attach',
        description: 'untrack',
        stage: 1,
        params: 'Untracked',
        original: false,
        calls: { apply: [], undo: [] },
        undoneBy: 'isolate',
      },
      {
        id: 'isolate',
        kind: 'attach',
        description: 'isolate',
        stage: 10,
        params: 'Isolated',
        original: false,
        calls: { apply: [], undo: [] },
      },
    ];
    return world;
  };

  it('runs only the stages of the first phase, then the rest on a later delivery', async () => {
    const world = phased();
    const ledger = new InMemoryLedger();
    const executor = new Executor(world.adapter, ledger);

    const first = await executor.contain(world.toy, entity, request(), { throughStage: 9 });
    expect(first.kind).toBe('containing');
    expect(world.toy.policies.has('Isolated')).toBe(false);
    expect(ledger.records.get(entity.arn)!.status).toBe('containing');

    const second = await executor.contain(world.toy, entity, request());
    expect(second.kind).toBe('contained');
    expect(world.toy.policies.has('Isolated')).toBe(true);
  });

  it('verify re-applies only the end state, stage by stage: never a step a later one superseded', async () => {
    const world = phased();
    const executor = new Executor(world.adapter, new InMemoryLedger());
    await executor.contain(world.toy, entity, request(), { throughStage: 9 });
    world.hooks.beforeObserve = () => {
      // After phase 2 applied the isolation, someone moves the entity back before verify reads.
      if (world.log.at(-1) !== 'apply isolate' || world.log.includes('moved back')) return;
      world.log.push('moved back');
      world.toy.policies.delete('Isolated');
      world.toy.policies.delete('Untracked');
    };
    world.log.length = 0;

    const outcome = await executor.contain(world.toy, entity, request());

    expect(outcome).toMatchObject({ kind: 'contained', reapplied: ['isolate'] });
    expect(world.log).toEqual(['apply isolate', 'moved back', 'apply isolate']);
    expect(world.toy.policies.has('Isolated')).toBe(true);
  });

  it('skips the undo of a step whose value a later step already restored', async () => {
    const world = phased();
    const executor = new Executor(world.adapter, new InMemoryLedger());
    await executor.contain(world.toy, entity, request(), { throughStage: 9 });
    await executor.contain(world.toy, entity, request());
    world.log.length = 0;
    const outcome = await executor.release(world.toy, entity, request('rel'));
    expect(world.log).toContain('undo isolate');
    expect(world.log).not.toContain('undo untrack');
    expect(outcome.steps.find((s) => s.id === 'untrack')).toMatchObject({ status: 'undone', note: 'restored by the undo of isolate' });
  });

  it('undoes the first-phase step itself when the release comes before the second phase', async () => {
    const world = phased();
    const executor = new Executor(world.adapter, new InMemoryLedger());
    await executor.contain(world.toy, entity, request(), { throughStage: 9 });
    world.log.length = 0;
    await executor.release(world.toy, entity, request('rel'));
    expect(world.log).toContain('undo untrack');
    expect(world.log).not.toContain('undo isolate');
  });
});
