import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { LEDGER_EXPIRY_ATTRIBUTE } from '@lockdown/contracts';
import {
  BucketShape,
  BudgetScope,
  Reservation,
  SharedBudgetStore,
  budgetKeyOf,
  emptyAt,
  isConditionFailed,
  reservableUntil,
  reserve,
  tokenMs,
  waitFor,
} from '@lockdown/containment';

/** A budget item outlives its last reservation by this long, then DynamoDB's TTL deletes it (a missing item is a full bucket). */
const KEEP_SECONDS = 300;
/** Conditional writes per reservation: each failed one tells the next which case holds; more fail only in a race. */
const TRIES = 3;

const NAMES = { '#tat': 'tat', '#expires': LEDGER_EXPIRY_ATTRIBUTE };
const number = (value: number): AttributeValue => ({ N: String(value) });
const tatOf = (item: Record<string, AttributeValue> | undefined) => (item?.['tat']?.N === undefined ? undefined : Number(item['tat'].N));

/**
 * The service's concurrent invocations share each account's API budgets through its ledger table:
 * one item per account, region and API (`budget|...`, never an ARN) holding the bucket's theoretical
 * arrival time, moved by one conditional UpdateItem per reservation and no read first: busy (`tat`
 * not past, and low enough for the tokens to come within the wait) adds to it; idle (absent or past)
 * starts it from now. A failed condition returns the item (ReturnValuesOnConditionCheckFailure),
 * which says which case holds or that the budget is spent.
 */
export class DynamoDbBudgetStore implements SharedBudgetStore {
  /** The last arrival time seen per budget: which case to try first. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly tableName: string,
    private readonly client: DynamoDBClient,
  ) {}

  async reserve(scope: BudgetScope, shape: BucketShape, tokens: number, now: number, maxWaitMs: number): Promise<Reservation> {
    const key = budgetKeyOf(scope);
    let tat = this.seen.get(key);
    for (let tries = 0; tries < TRIES; tries += 1) {
      // A refusal by the item as last seen needs no write: its arrival time only moves on (TTL deletes it once past).
      const expected = reserve(shape, tat, tokens, now, maxWaitMs);
      if (!expected.granted) return expected;
      const busy = tat !== undefined && tat >= now;
      try {
        const updated = busy ? await this.add(key, shape, tokens, now, maxWaitMs) : await this.start(key, shape, tokens, now, maxWaitMs);
        this.seen.set(key, updated);
        return { granted: true, tat: updated, waitMs: waitFor(shape, updated, now) };
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
        tat = await this.itemOf(key, error);
        if (tat === undefined) this.seen.delete(key);
        else this.seen.set(key, tat);
      }
    }
    // Lost a race each time: the budget is in demand right now; as spent, the request comes back a little later.
    return { granted: false, waitMs: tokens * tokenMs(shape) };
  }

  async markEmpty(scope: BudgetScope, shape: BucketShape, now: number): Promise<void> {
    const empty = emptyAt(shape, now);
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { arn: { S: budgetKeyOf(scope) } },
          UpdateExpression: 'SET #tat = :empty, #expires = :expires',
          ConditionExpression: 'attribute_not_exists(#tat) OR #tat < :empty',
          ExpressionAttributeNames: NAMES,
          ExpressionAttributeValues: { ':empty': number(empty), ':expires': number(expiryOf(empty)) },
        }),
      );
      this.seen.set(budgetKeyOf(scope), empty);
    } catch (error) {
      // Already emptier than empty: others reserved beyond it.
      if (!isConditionFailed(error)) throw error;
    }
  }

  /** Busy: `tat` is not past and leaves room for the tokens within the wait; it moves on by them. */
  private async add(key: string, shape: BucketShape, tokens: number, now: number, maxWaitMs: number): Promise<number> {
    const { Attributes } = await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { arn: { S: key } },
        UpdateExpression: 'SET #tat = #tat + :tokens, #expires = :expires',
        ConditionExpression: '#tat >= :now AND #tat <= :limit',
        ExpressionAttributeNames: NAMES,
        ExpressionAttributeValues: {
          ':tokens': number(tokens * tokenMs(shape)),
          ':now': number(now),
          ':limit': number(reservableUntil(shape, tokens, now, maxWaitMs)),
          ':expires': number(expiryOf(emptyAt(shape, now) + maxWaitMs)),
        },
        ReturnValues: 'UPDATED_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    const tat = tatOf(Attributes);
    if (tat === undefined) throw new Error(`${this.tableName}: UpdateItem of ${key} returned no tat`);
    return tat;
  }

  /** Idle: no item, or its `tat` is past (a full bucket): it starts from now. */
  private async start(key: string, shape: BucketShape, tokens: number, now: number, maxWaitMs: number): Promise<number> {
    const tat = now + tokens * tokenMs(shape);
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { arn: { S: key } },
        UpdateExpression: 'SET #tat = :tat, #expires = :expires',
        // Or not a number (written by something else): it would refuse every lease of the account for good.
        ConditionExpression: 'attribute_not_exists(#tat) OR NOT attribute_type(#tat, :number) OR #tat < :now',
        ExpressionAttributeNames: NAMES,
        ExpressionAttributeValues: {
          ':tat': number(tat),
          ':now': number(now),
          ':number': { S: 'N' },
          ':expires': number(expiryOf(emptyAt(shape, now) + maxWaitMs)),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return tat;
  }

  /**
   * The item a condition failed on: DynamoDB returns it with the error (ALL_OLD); an emulator that
   * does not (dynalite 4) costs a consistent read.
   */
  private async itemOf(key: string, error: unknown): Promise<number | undefined> {
    const returned = (error as { Item?: Record<string, AttributeValue> }).Item;
    if (returned) return tatOf(returned);
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { arn: { S: key } },
        ConsistentRead: true,
        ProjectionExpression: '#tat',
        ExpressionAttributeNames: { '#tat': 'tat' },
      }),
    );
    return tatOf(Item);
  }
}

/** Epoch seconds when DynamoDB may delete a budget item whose arrival time is at most `tat` (its bucket full again long before). */
const expiryOf = (tat: number) => Math.ceil(tat / 1000) + KEEP_SECONDS;
