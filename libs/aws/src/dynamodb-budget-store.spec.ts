import { Readable } from 'node:stream';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { BudgetSpentError, SharedBudgetStore, budgetKeyOf } from '@lockdown/containment';
import { LocalDynamo, startDynalite } from '@lockdown/sandbox';
import { ApiPacer } from './api-pacer';
import { DynamoDbBudgetStore } from './dynamodb-budget-store';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
// EC2's mutating actions: a bucket of 50 refilled at 5/s (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html).
const EC2 = { capacity: 50, refillPerSecond: 5 };
// Lambda's control plane: 15 requests/s (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
const LAMBDA = { capacity: 15, refillPerSecond: 15 };
const scope = (serviceId: string, accountId = ACCOUNT) => ({ accountId, region: REGION, serviceId });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the API budgets shared through the ledger table (dynalite)', () => {
  let dynamo: LocalDynamo;
  let table: string;
  let tables = 0;

  beforeAll(async () => {
    dynamo = await startDynalite();
  });
  afterAll(() => dynamo.stop());
  beforeEach(async () => {
    table = await dynamo.createLedgerTable(`budgets-${++tables}`);
  });

  it('keeps one item per account, region and API, beside the ledger records, expiring a few minutes after its bucket is full again', async () => {
    const store = new DynamoDbBudgetStore(table, dynamo.client);
    const now = Date.now();

    expect(await store.reserve(scope('EC2'), EC2, 30, now, 0)).toEqual({ granted: true, tat: now + 30 * 200, waitMs: 0 });
    expect(await store.reserve(scope('EC2'), EC2, 25, now, 1000)).toEqual({ granted: true, tat: now + 55 * 200, waitMs: 1000 });

    const { Item } = await dynamo.client.send(new GetItemCommand({ TableName: table, Key: { arn: { S: budgetKeyOf(scope('EC2')) } } }));
    expect(Number(Item!['tat']!.N)).toBe(now + 55 * 200);
    const expiresAt = Number(Item!['expiresAt']!.N);
    expect(expiresAt * 1000).toBeGreaterThan(now + 55 * 200 + 60_000);
    expect(expiresAt * 1000).toBeLessThan(now + 55 * 200 + 600_000);
  });

  it('refuses a reservation that would wait too long, saying how long, and reserves nothing', async () => {
    const store = new DynamoDbBudgetStore(table, dynamo.client);
    const other = new DynamoDbBudgetStore(table, dynamo.client);
    const now = Date.now();
    await store.reserve(scope('EC2'), EC2, 50, now, 0);

    // Another container, which has not seen the item: its busy write fails and the item says the budget is spent.
    expect(await other.reserve(scope('EC2'), EC2, 10, now, 1000)).toEqual({ granted: false, waitMs: 2000 });
    expect(await other.reserve(scope('EC2'), EC2, 5, now, 1000)).toEqual({ granted: true, tat: now + 55 * 200, waitMs: 1000 });
    expect(await store.reserve(scope('EC2', '222222222222'), EC2, 50, now, 0)).toMatchObject({ granted: true, waitMs: 0 });
  });

  it('starts afresh from an item whose tat is not a number (written by something else), instead of refusing the account for good', async () => {
    await dynamo.client.send(new PutItemCommand({ TableName: table, Item: { arn: { S: budgetKeyOf(scope('EC2')) }, tat: { S: 'soon' } } }));
    const now = Date.now();
    expect(await new DynamoDbBudgetStore(table, dynamo.client).reserve(scope('EC2'), EC2, 5, now, 0)).toEqual({
      granted: true,
      tat: now + 5 * 200,
      waitMs: 0,
    });
  });

  it('lets two containers pacing concurrently through one bucket never exceed its capacity plus its rate over the run', async () => {
    // Each container's store, timed: a lease is spent after its round trip, that much later than reserved.
    const roundTrips: number[] = [];
    const timed = (store: SharedBudgetStore): SharedBudgetStore => ({
      reserve: async (...args) => {
        const sent = Date.now();
        const reservation = await store.reserve(...args);
        roundTrips.push(Date.now() - sent);
        return reservation;
      },
      markEmpty: (...args) => store.markEmpty(...args),
    });
    const pacers = [0, 1].map(() => new ApiPacer({ concurrency: 2, store: timed(new DynamoDbBudgetStore(table, dynamo.client)) }));
    const calls: number[] = [];
    const until = Date.now() + 1500;

    await Promise.all(
      pacers.map(async (pacer) => {
        while (Date.now() < until)
          try {
            await pacer.take(ACCOUNT, REGION, 'Lambda', 'PutFunctionConcurrency');
            calls.push(Date.now());
          } catch (error) {
            // Spending faster than the rate: a lease would wait over a second, refused (the message would come back).
            if (!(error instanceof BudgetSpentError)) throw error;
            await sleep(Math.min(error.waitMs, 50));
          }
      }),
    );

    // AWS's bucket lets at most C + r x t calls through in any window of t seconds. Tokens are reserved
    // when a lease is sent and spent when it is back: late by at most a round trip (and 2 ms for the timers' rounding).
    const late = Math.max(0, ...roundTrips) + 2;
    calls.sort((a, b) => a - b);
    for (let i = 0; i < calls.length; i += 1)
      for (let j = i; j < calls.length; j += 1)
        expect(j - i + 1).toBeLessThanOrEqual(LAMBDA.capacity + (LAMBDA.refillPerSecond * (calls[j]! - calls[i]! + late)) / 1000);
    expect(calls.length).toBeLessThanOrEqual(LAMBDA.capacity + LAMBDA.refillPerSecond * ((calls.at(-1)! - calls[0]! + late) / 1000));
    // And the pacing spends most of it: 15 + 15 x 1.5 s at most.
    expect(calls.length).toBeGreaterThan(25);
  });

  it("lets one container's throttling answer empty the bucket for the others", async () => {
    const [first, second] = [0, 1].map(
      () => new ApiPacer({ concurrency: 2, maxWaitMs: 100, store: new DynamoDbBudgetStore(table, dynamo.client) }),
    );

    await first!.throttled(ACCOUNT, REGION, 'EC2', 'ModifyInstanceAttribute');

    // The other container's first token would come after 200 ms of refill: beyond the 100 ms it may wait.
    const refused = second!.take(ACCOUNT, REGION, 'EC2', 'CreateTags');
    await expect(refused).rejects.toBeInstanceOf(BudgetSpentError);
    await expect(refused).rejects.toMatchObject({ failure: { retryable: true, code: 'throttled' } });
    await expect(second!.take('222222222222', REGION, 'EC2', 'CreateTags')).resolves.toBeUndefined();
  });

  it('fails as the SDK failed when the table cannot be written (the pacer makes it a retryable attempt)', async () => {
    const store = new DynamoDbBudgetStore('no-such-table', dynamo.client);
    await expect(store.reserve(scope('EC2'), EC2, 1, Date.now(), 0)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

// DynamoDB returns the item a condition failed on with ConditionalCheckFailedException when asked
// (ReturnValuesOnConditionCheckFailure ALL_OLD: https://repost.aws/knowledge-center/dynamodb-conditionalcheckfailedexception;
// the error's `Item`: https://docs.aws.amazon.com/botocore/latest/reference/services/dynamodb/client/exceptions/ConditionalCheckFailedException.html).
// dynalite does not (https://github.com/architect/dynalite/issues/182): this answer is DynamoDB's, on the wire.
it('takes the item a condition failed on from the answer, with no read', async () => {
  const now = Date.now();
  const operations: string[] = [];
  const body = JSON.stringify({
    __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
    message: 'The conditional request failed',
    Item: { arn: { S: budgetKeyOf(scope('EC2')) }, tat: { N: String(now + 50 * 200) }, expiresAt: { N: '1' } },
  });
  const client = new DynamoDBClient({
    region: REGION,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    requestHandler: {
      handle: async (request: { headers: Record<string, string> }) => {
        operations.push(request.headers['x-amz-target']!.replace('DynamoDB_20120810.', ''));
        return {
          response: { statusCode: 400, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Readable.from([body]) },
        };
      },
    },
  });

  const reservation = await new DynamoDbBudgetStore('ledger', client).reserve(scope('EC2'), EC2, 10, now, 1000);

  expect(reservation).toEqual({ granted: false, waitMs: 2000 });
  expect(operations).toEqual(['UpdateItem']);
});
