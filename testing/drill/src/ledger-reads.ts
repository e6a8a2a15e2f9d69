import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLedger } from '@lockdown/aws';
import type { LedgerRecord } from '@lockdown/containment';
import { ledgerTableName, parseEntityArn, serviceFor } from '@lockdown/contracts';
import type { PublishTarget } from '@lockdown/publishing';

/** Each target's ledger record now, from its service's table (`lockdown-<service>-ledger`), in the targets' order; none for a target without one. */
export async function readLedgers(targets: readonly PublishTarget[], dynamodb: DynamoDBClient): Promise<LedgerRecord[]> {
  const records = await Promise.all(
    targets.map(async (target) => {
      const parsed =
        typeof target === 'string'
          ? parseEntityArn(target)
          : parseEntityArn(target.arn, { accountId: target.accountId, ...(target.region ? { region: target.region } : {}) });
      if (!parsed.ok) throw new Error(`the drill's own target ${JSON.stringify(target)} is not an entity ARN: ${parsed.error.message}`);
      return new DynamoDbLedger(ledgerTableName(serviceFor(parsed.entity.type)), dynamodb).get(parsed.entity.arn);
    }),
  );
  return records.filter((r): r is LedgerRecord => r !== undefined);
}
