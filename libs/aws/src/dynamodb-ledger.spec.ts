import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { CorruptLedgerRecordError, LedgerRecord } from '@lockdown/containment';
import { LocalDynamo, startDynalite } from '@lockdown/sandbox';
import { DynamoDbLedger } from './dynamodb-ledger';

const arn = 'arn:aws:iam::111111111111:user/alice';
const at = '2026-11-26T04:00:00.000Z';

const record = (cycle = 1, requestId = 'req-1'): LedgerRecord => ({
  arn,
  entityType: 'iam-user',
  cycle,
  status: 'containing',
  request: { requestId, requestedAt: at },
  original: { capturedAt: at, requestId, state: { keys: { AKIA1: 'Active' }, policies: [] } },
  steps: [
    {
      id: 'deny',
      kind: 'inline-deny',
      description: 'deny',
      stage: 0,
      params: { policyName: 'x' },
      original: null,
      calls: { apply: ['iam:PutUserPolicy'], undo: ['iam:DeleteUserPolicy'] },
      status: 'pending',
    },
    {
      id: 'key:AKIA1',
      kind: 'access-key',
      description: 'key',
      stage: 1,
      params: 'AKIA1',
      original: 'Active',
      calls: { apply: [], undo: [] },
      status: 'pending',
    },
  ],
  timeline: [{ at, requestId, event: 'started' }],
  updatedAt: at,
});

describe('DynamoDbLedger (dynalite)', () => {
  let dynamo: LocalDynamo;
  let ledger: DynamoDbLedger;
  let table = 0;

  beforeAll(async () => {
    dynamo = await startDynalite();
  });
  afterAll(() => dynamo.stop());
  beforeEach(async () => {
    ledger = new DynamoDbLedger(await dynamo.createLedgerTable(`ledger-${++table}`), dynamo.client);
  });

  it('stores and reads back a record', async () => {
    expect(await ledger.create(record(), undefined)).toBe(true);
    expect(await ledger.get(arn)).toEqual(record());
    expect(await ledger.get('arn:aws:iam::111111111111:user/nobody')).toBeUndefined();
  });

  it('refuses a malformed item on read with an error naming the table, the entity and what is wrong', async () => {
    const name = await dynamo.createLedgerTable(`ledger-malformed-${table}`);
    const { status: _dropped, ...noStatus } = record();
    await DynamoDBDocumentClient.from(dynamo.client).send(new PutCommand({ TableName: name, Item: { ...noStatus, cycle: 'one' } }));

    const read = new DynamoDbLedger(name, dynamo.client).get(arn);

    await expect(read).rejects.toThrow(CorruptLedgerRecordError);
    await expect(read).rejects.toThrow(
      `the ledger record of ${arn} in ${name} is malformed: cycle: Invalid input: expected number, received string; status: Invalid option`,
    );
  });

  it('lets exactly one of two concurrent deliveries record the original state', async () => {
    const results = await Promise.all([ledger.create(record(1, 'first'), undefined), ledger.create(record(1, 'second'), undefined)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const stored = await ledger.get(arn);
    expect(stored!.original.requestId).toBe(results[0] ? 'first' : 'second');
  });

  it('starts a new cycle only after the previous one was released', async () => {
    await ledger.create(record(), undefined);
    expect(await ledger.create(record(2), 1)).toBe(false);
    await ledger.setStatus(arn, 1, 'released', { at, requestId: 'rel', event: 'released' }, { release: { requestId: 'rel', at } });
    expect(await ledger.create(record(2), 1)).toBe(true);
    expect(await ledger.create(record(2), 1)).toBe(false);
    expect((await ledger.get(arn))!.cycle).toBe(2);
  });

  it('updates one step by index, guarded by its id, and clears an old note', async () => {
    await ledger.create(record(), undefined);
    await ledger.updateStep(arn, 1, 1, { id: 'key:AKIA1', status: 'failed', at, note: 'Throttling' });
    await ledger.updateStep(arn, 1, 1, { id: 'key:AKIA1', status: 'applied', at });
    const step = (await ledger.get(arn))!.steps[1]!;
    expect(step).toMatchObject({ status: 'applied', at });
    expect(step.note).toBeUndefined();
    await expect(ledger.updateStep(arn, 1, 0, { id: 'key:AKIA1', status: 'applied', at })).rejects.toThrow(/conditional/i);
  });

  it('appends steps only if nobody appended since the caller read the record', async () => {
    await ledger.create(record(), undefined);
    const extra = { ...record().steps[1]!, id: 'key:AKIA2', params: 'AKIA2' };
    await ledger.appendSteps(arn, 1, 2, [extra]);
    await expect(ledger.appendSteps(arn, 1, 2, [extra])).rejects.toThrow(/conditional/i);
    expect((await ledger.get(arn))!.steps.map((s) => s.id)).toEqual(['deny', 'key:AKIA1', 'key:AKIA2']);
  });

  it('appends to the timeline and refuses writes for a stale cycle', async () => {
    await ledger.create(record(), undefined);
    await ledger.setStatus(arn, 1, 'contained', { at, requestId: 'req-1', event: 'contained' }, { phase: 2 });
    const stored = (await ledger.get(arn))!;
    expect(stored).toMatchObject({ status: 'contained', phase: 2 });
    expect(stored.timeline.map((t) => t.event)).toEqual(['started', 'contained']);
    await expect(ledger.setStatus(arn, 7, 'released', { at, requestId: 'x', event: 'x' })).rejects.toThrow(/conditional/i);
  });
});
