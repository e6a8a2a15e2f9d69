import { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface LocalDynamo {
  endpoint: string;
  client: DynamoDBClient;
  /** Creates a ledger table (partition key `arn`) and returns its name. */
  createLedgerTable(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** Starts dynalite (a DynamoDB emulator with real validation and conditional writes) on 127.0.0.1. */
export async function startDynalite(): Promise<LocalDynamo> {
  const dynalite = require('dynalite') as (options: object) => import('node:http').Server;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return {
    endpoint,
    client,
    async createLedgerTable(name) {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'arn', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'arn', KeyType: 'HASH' }],
        }),
      );
      return name;
    },
    async stop() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
