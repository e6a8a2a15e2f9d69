import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { LedgerRecord, parseLedgerRecord } from '@lockdown/containment';

/**
 * The ledger records a request concerns (it started their cycle, or released it), in the given
 * ledger tables. The ledger is keyed by entity ARN: a request id is found by a scan (a filtered
 * one; the tables hold one item per entity ever contained).
 */
export async function findByRequest(requestId: string, tables: readonly string[], client: DynamoDBClient): Promise<LedgerRecord[]> {
  const documents = DynamoDBDocumentClient.from(client);
  const found: LedgerRecord[] = [];
  for (const table of tables)
    for await (const page of paginateScan(
      { client: documents },
      {
        TableName: table,
        ConsistentRead: true,
        FilterExpression: '#request.#requestId = :id OR #release.#requestId = :id',
        ExpressionAttributeNames: { '#request': 'request', '#release': 'release', '#requestId': 'requestId' },
        ExpressionAttributeValues: { ':id': requestId },
      },
    ))
      found.push(...(page.Items ?? []).map((item) => parseLedgerRecord(item, { arn: String(item['arn']), table })));
  return found;
}
