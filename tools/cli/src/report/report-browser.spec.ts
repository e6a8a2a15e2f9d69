import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDbLedger } from '@lockdown/aws';
import { createIamLockdownHandler } from '@lockdown/iam-lockdown';
import { MEMBER_ACCOUNT, ServiceHarness, dispatchMessage, sqsEvent, sqsRecord } from '@lockdown/sandbox';
import { type Browser, chromium } from 'playwright-core';
import { Output } from '../output';
import { chromiumForTests } from './chromium-for-tests';
import { runReport } from './report-command';

const ATTACK = '<script>window.owned = true</script><img src=x onerror="window.owned = true">';

/** `lockdown report` on a real containment (the IAM service on the simulated member account, its ledger on dynalite), opened in headless Chromium. */
describe('lockdown report in a browser', () => {
  const harness = new ServiceHarness();
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'lockdown-report-'));
  beforeAll(async () => {
    await harness.start();
    browser = await chromium.launch({ executablePath: chromiumForTests(), args: ['--no-sandbox'] });
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await harness.stop();
  });

  it('renders the ledger of a containment: one bar per step, the attacker-controlled reason inert, no console error, nothing fetched', async () => {
    const env = await harness.reset();
    harness.sim.seed(MEMBER_ACCOUNT, 'iam', 'CreateUser', { UserName: 'alice', Path: '/' });
    harness.sim.seed(MEMBER_ACCOUNT, 'iam', 'CreateAccessKey', { UserName: 'alice' });
    harness.sim.seed(MEMBER_ACCOUNT, 'iam', 'CreateAccessKey', { UserName: 'alice' });
    const arn = `arn:aws:iam::${MEMBER_ACCOUNT}:user/alice`;
    const message = dispatchMessage(arn, {
      reason: `${ATTACK} keys used from an unknown ASN`,
      ticket: 'INC-7',
      authority: 'ingress',
      requestedAt: new Date().toISOString(),
    });
    const answer = await harness.invoke(createIamLockdownHandler(env, { dynamodb: harness.dynamo.client }), sqsEvent(sqsRecord(message)));
    expect(answer.batchItemFailures).toEqual([]);
    const record = (await new DynamoDbLedger(env['LEDGER_TABLE_NAME']!, harness.dynamo.client).get(arn))!;
    const out = join(dir, 'report.html');

    const code = await runReport(
      message.requestId,
      { table: env['LEDGER_TABLE_NAME']!, format: 'html', out },
      new Output(true, () => undefined),
      harness.dynamo.client,
    );

    expect(code).toBe(0);
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(out).href;
    await page.goto(url, { waitUntil: 'load' });
    const bars = await page.locator('svg [data-step]').count();
    // The moments come from the executor's own timeline entries: their wording changing would lose them here.
    const moments = await page.locator('svg [data-event]').evaluateAll((lines) => lines.map((l) => l.getAttribute('data-event')));
    const chart = await page.locator('svg.chart').first().boundingBox();
    const reason = await page.locator('td', { hasText: 'keys used from an unknown ASN' }).textContent();
    const owned = await page.evaluate(() => (globalThis as { owned?: boolean }).owned);
    const scripts = await page.locator('script, img').count();
    await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
    await page.close();

    expect(record.steps.length).toBeGreaterThanOrEqual(4);
    expect(bars).toBe(record.steps.length);
    expect(moments).toEqual(['received', 'first-effect', 'contained']);
    expect(chart!.width).toBeGreaterThan(600);
    expect(reason).toBe(`${ATTACK} keys used from an unknown ASN`);
    expect(owned).toBeUndefined();
    expect(scripts).toBe(0);
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    expect(statSync(join(dir, 'report.png')).size).toBeGreaterThan(10_000);
    process.stderr.write(`report and screenshot: ${dir}\n`);
  });
});
