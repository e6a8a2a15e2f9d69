import { writeFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLedger } from '@lockdown/aws';
import type { LedgerRecord } from '@lockdown/containment';
import { SERVICES, ledgerTableName, serviceFor } from '@lockdown/contracts';
import { CliError, EXIT } from '../errors';
import { Output } from '../output';
import { validateArn } from '../requests';
import { renderIncidentHtml } from './incident-html';
import { renderIncidentMarkdown } from './incident-markdown';
import { buildIncidentReport } from './incident-model';
import { findByRequest } from './ledger-search';

export const REPORT_FORMATS = ['html', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportOptions {
  table?: string;
  region?: string;
  account?: string;
  /** The Identity Center instance's home region, for Identity Center users. */
  instanceRegion?: string;
  format: string;
  out?: string;
}

/** `lockdown report <request id | arn>`: the post-incident report of one containment, from its service's ledger, as one file. */
export async function runReport(
  target: string,
  options: ReportOptions,
  output: Output,
  dynamodb = new DynamoDBClient({}),
): Promise<number> {
  const format = options.format as ReportFormat;
  if (!REPORT_FORMATS.includes(format))
    throw new CliError(`--format must be ${REPORT_FORMATS.join(' or ')}; got "${options.format}"`, EXIT.invalidInput);
  const record = target.startsWith('arn:') ? await byArn(target, options, dynamodb) : await byRequest(target, options, dynamodb);
  const report = buildIncidentReport([record]);
  const id = record.request.requestId.replace(/[^A-Za-z0-9._-]/g, '_');
  const file = options.out ?? `lockdown-report-${id}.${format === 'html' ? 'html' : 'md'}`;
  writeFileSync(file, format === 'html' ? renderIncidentHtml(report) : renderIncidentMarkdown(report));
  output.result({ file, arn: record.arn, requestId: record.request.requestId, status: record.status }, () =>
    output.line(`${file}: the ${record.status} containment of ${record.arn} (request ${record.request.requestId})`),
  );
  return EXIT.ok;
}

async function byArn(arn: string, options: ReportOptions, dynamodb: DynamoDBClient): Promise<LedgerRecord> {
  const entity = validateArn(arn, options.account, options.instanceRegion);
  const table = options.table ?? ledgerTableName(serviceFor(entity.type));
  const record = await new DynamoDbLedger(table, dynamodb).get(entity.arn);
  if (!record) throw new CliError(`${entity.arn}: never contained by lockdown (no record in ${table}); nothing to report`);
  return record;
}

async function byRequest(requestId: string, options: ReportOptions, dynamodb: DynamoDBClient): Promise<LedgerRecord> {
  const tables = options.table ? [options.table] : SERVICES.map(ledgerTableName);
  const records = await findByRequest(requestId, tables, dynamodb);
  if (records.length === 0)
    throw new CliError(
      `request ${requestId}: no containment in ${tables.join(', ')} was started or released by it (a later containment of the same entity replaces its record); nothing to report`,
    );
  if (records.length > 1)
    throw new CliError(
      `request ${requestId} concerns ${records.length} entities (${records.map((r) => r.arn).join(', ')}): pass one of their ARNs`,
      EXIT.invalidInput,
    );
  return records[0]!;
}
