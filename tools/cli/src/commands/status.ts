import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLedger } from '@lockdown/aws';
import { ledgerTableName, serviceFor } from '@lockdown/contracts';
import { EXIT, ledgerProblem } from '../errors';
import { regionConfig, securityRegion } from '../region';
import { Output } from '../output';
import { validateArn } from '../requests';

/** `status`: reads the owning service's ledger and says whether the entity is contained now. */
export async function runStatus(
  arn: string,
  options: { table?: string; region?: string; account?: string; instanceRegion?: string },
  output: Output,
  dynamodb = new DynamoDBClient(regionConfig(securityRegion(options))),
): Promise<number> {
  const entity = validateArn(arn, options.account, options.instanceRegion);
  const service = serviceFor(entity.type);
  const table = options.table ?? ledgerTableName(service);
  const region = await dynamodb.config.region();
  const record = await new DynamoDbLedger(table, dynamodb).get(entity.arn).catch((error: unknown) => {
    throw ledgerProblem(error, table, region);
  });
  const contained = record !== undefined && ['containing', 'contained', 'failed', 'releasing'].includes(record.status);
  output.result({ arn: entity.arn, service, contained, record: record ?? null }, () => {
    if (!record) return output.line(`${entity.arn}: never contained by lockdown (no record in ${table})`);
    output.line(`${record.arn}`);
    output.line(`  status:   ${record.status}${contained ? ' (contained now)' : ''}   cycle ${record.cycle}`);
    output.line(
      `  request:  ${record.request.requestId} at ${record.request.requestedAt}${record.request.requestedBy ? ` by ${record.request.requestedBy}` : ''}`,
    );
    if (record.release) output.line(`  released: by request ${record.release.requestId} at ${record.release.at}`);
    output.line('  steps:');
    for (const step of record.steps)
      output.line(`    [${step.status}] ${step.description}${step.at ? ` (${step.at})` : ''}${step.note ? ` - ${step.note}` : ''}`);
    if (record.sweep?.length) {
      output.line('  sweep (what the identity left, from CloudTrail):');
      for (const f of record.sweep) {
        output.line(`    [${f.category}] ${f.reason}: ${f.entities.join(', ')} (${f.action})`);
        output.line(`      ${f.eventName} at ${f.eventTime} in ${f.region} from ${f.sourceIp}, event ${f.eventId}`);
      }
    }
    output.line('  timeline:');
    for (const entry of record.timeline) output.line(`    ${entry.at}  ${entry.event}  (${entry.requestId})`);
  });
  return EXIT.ok;
}
