import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerPort, LedgerRecord, LedgerStep, TimelineEntry } from '@lockdown/containment';
import type { SweepFindingRecord } from '@lockdown/contracts';
import { isConditionFailed, parseLedgerRecord } from '@lockdown/containment';

/**
 * A service's ledger on DynamoDB: one item per entity ARN (the partition key `arn`). Every write
 * is conditional on the cycle, so a stale delivery cannot overwrite a newer containment, and
 * `create` lets exactly one concurrent delivery record the original state.
 */
export class DynamoDbLedger implements LedgerPort {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    private readonly tableName: string,
    client: DynamoDBClient = new DynamoDBClient({}),
  ) {
    this.documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async get(arn: string): Promise<LedgerRecord | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: { arn }, ConsistentRead: true }));
    return Item === undefined ? undefined : parseLedgerRecord(Item, { arn, table: this.tableName });
  }

  async create(record: LedgerRecord, previousCycle: number | undefined): Promise<boolean> {
    const condition =
      previousCycle === undefined
        ? { ConditionExpression: 'attribute_not_exists(arn)' }
        : {
            ConditionExpression: '#cycle = :previous AND #status = :released',
            ExpressionAttributeNames: { '#cycle': 'cycle', '#status': 'status' },
            ExpressionAttributeValues: { ':previous': previousCycle, ':released': 'released' },
          };
    try {
      await this.documents.send(new PutCommand({ TableName: this.tableName, Item: record, ...condition }));
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  async appendSteps(arn: string, cycle: number, expectedCount: number, steps: LedgerStep[]): Promise<void> {
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { arn },
        UpdateExpression: 'SET #steps = list_append(#steps, :steps)',
        ConditionExpression: '#cycle = :cycle AND size(#steps) = :count',
        ExpressionAttributeNames: { '#steps': 'steps', '#cycle': 'cycle' },
        ExpressionAttributeValues: { ':steps': steps, ':cycle': cycle, ':count': expectedCount },
      }),
    );
  }

  async updateStep(arn: string, cycle: number, index: number, update: Pick<LedgerStep, 'id' | 'status' | 'at' | 'note'>): Promise<void> {
    const step = `#steps[${index}]`;
    const set = [`${step}.#status = :status`, `${step}.#at = :at`];
    const values: Record<string, unknown> = { ':status': update.status, ':at': update.at, ':cycle': cycle, ':id': update.id };
    if (update.note !== undefined) {
      set.push(`${step}.#note = :note`);
      values[':note'] = update.note;
    }
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { arn },
        UpdateExpression: `SET ${set.join(', ')}${update.note === undefined ? ` REMOVE ${step}.#note` : ''}`,
        ConditionExpression: `#cycle = :cycle AND ${step}.#id = :id`,
        ExpressionAttributeNames: { '#steps': 'steps', '#status': 'status', '#at': 'at', '#note': 'note', '#cycle': 'cycle', '#id': 'id' },
        ExpressionAttributeValues: values,
      }),
    );
  }

  async setStatus(
    arn: string,
    cycle: number,
    status: LedgerRecord['status'],
    entry: TimelineEntry,
    extra: { release?: LedgerRecord['release']; phase?: number } = {},
  ): Promise<void> {
    const set = ['#status = :status', '#updatedAt = :at', '#timeline = list_append(#timeline, :entry)'];
    const names: Record<string, string> = { '#status': 'status', '#updatedAt': 'updatedAt', '#timeline': 'timeline', '#cycle': 'cycle' };
    const values: Record<string, unknown> = { ':status': status, ':at': entry.at, ':entry': [entry], ':cycle': cycle };
    if (extra.release) {
      set.push('#release = :release');
      names['#release'] = 'release';
      values[':release'] = extra.release;
    }
    if (extra.phase !== undefined) {
      set.push('#phase = :phase');
      names['#phase'] = 'phase';
      values[':phase'] = extra.phase;
    }
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { arn },
        UpdateExpression: `SET ${set.join(', ')}`,
        ConditionExpression: '#cycle = :cycle',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  async recordSweep(arn: string, cycle: number, findings: SweepFindingRecord[]): Promise<void> {
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { arn },
        UpdateExpression: 'SET #sweep = list_append(if_not_exists(#sweep, :none), :findings)',
        ConditionExpression: '#cycle = :cycle',
        ExpressionAttributeNames: { '#sweep': 'sweep', '#cycle': 'cycle' },
        ExpressionAttributeValues: { ':none': [], ':findings': findings, ':cycle': cycle },
      }),
    );
  }
}
