import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDbLedger } from '@lockdown/aws';
import type { LedgerRecord } from '@lockdown/containment';
import { LocalDynamo, startDynalite } from '@lockdown/sandbox';
import { CliError } from '../errors';
import { Output } from '../output';
import { runReport } from './report-command';

const record = (arn: string, requestId: string): LedgerRecord => ({
  arn,
  entityType: 'iam-role',
  cycle: 1,
  status: 'released',
  request: { requestId, requestedAt: '2026-12-06T10:00:00.000Z', reason: 'why' },
  original: { capturedAt: '2026-12-06T10:00:00.300Z', requestId, state: {} },
  steps: [],
  timeline: [{ at: '2026-12-06T10:00:01.000Z', requestId, event: 'contained and verified' }],
  updatedAt: '2026-12-06T10:00:01.000Z',
  release: { requestId: `release-of-${arn.split('/')[1]}`, at: '2026-12-06T11:00:00.000Z' },
});

describe('lockdown report', () => {
  let dynamo: LocalDynamo;
  let table: string;
  const dir = mkdtempSync(join(tmpdir(), 'lockdown-report-command-'));
  const quiet = new Output(true, () => undefined);
  beforeAll(async () => {
    dynamo = await startDynalite();
    table = await dynamo.createLedgerTable('lockdown-iam-lockdown-ledger');
    const ledger = new DynamoDbLedger(table, dynamo.client);
    await ledger.create(record('arn:aws:iam::111111111111:role/app', 'req-1'), undefined);
    await ledger.create(record('arn:aws:iam::111111111111:role/db', 'req-2'), undefined);
    await ledger.create(record('arn:aws:iam::111111111111:role/web', 'req-2'), undefined);
  });
  afterAll(() => dynamo.stop());

  it('finds the containment by ARN, by the request that started it, or by the one that released it, and writes the file', async () => {
    const byArn = join(dir, 'by-arn.md');
    await runReport('arn:aws:iam::111111111111:role/app', { table, format: 'markdown', out: byArn }, quiet, dynamo.client);
    const byRelease = join(dir, 'by-release.html');
    await runReport('release-of-app', { table, format: 'html', out: byRelease }, quiet, dynamo.client);

    const byRequest = join(dir, 'by-request.md');
    await runReport('req-1', { table, format: 'markdown', out: byRequest }, quiet, dynamo.client);

    expect(readFileSync(byRequest, 'utf8')).toBe(readFileSync(byArn, 'utf8'));
    expect(readFileSync(byArn, 'utf8')).toContain('# Containment of iam\\-role arn:aws:iam::111111111111:role/app');
    expect(readFileSync(byRelease, 'utf8')).toContain('by request release-of-app');
  });

  it('refuses, changing nothing: an unknown format, an ARN never contained, a request it cannot find, a request of several entities', async () => {
    const out = join(dir, 'never.html');
    const attempt = (target: string, format = 'html') => runReport(target, { table, format, out }, quiet, dynamo.client);

    await expect(attempt('req-1', 'pdf')).rejects.toThrow(new CliError('--format must be html or markdown; got "pdf"'));
    await expect(attempt('arn:aws:iam::111111111111:role/other')).rejects.toThrow(/never contained by lockdown .* nothing to report/);
    await expect(attempt('req-404')).rejects.toThrow(/request req-404: no containment in lockdown-iam-lockdown-ledger/);
    await expect(attempt('req-2')).rejects.toThrow(/concerns 2 entities .*: pass one of their ARNs/);
    await expect(attempt('arn:aws:iam::111111111111:nonsense')).rejects.toBeInstanceOf(CliError);
    expect(existsSync(out)).toBe(false);
  });
});
