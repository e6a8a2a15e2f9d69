import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SERVICES } from '@lockdown/contracts';

export interface BundleFigures {
  bytes: number;
  coldLoadMsMedian: number;
  runs: number;
}

const ROOT = resolve(__dirname, '..', '..', '..', '..');
const APPS = ['intake', ...SERVICES];
/** Enough configuration for each bundle's cold start to succeed (it validates its environment). */
const ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  EXTERNAL_ID_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:999999999999:secret:x',
  DISPATCH_TOPIC_ARN: 'arn:aws:sns:us-east-1:999999999999:d',
  AUDIT_TOPIC_ARN: 'arn:aws:sns:us-east-1:999999999999:a',
  ONBOARDED_ACCOUNTS: 'all',
  LEDGER_TABLE_NAME: 'ledger',
  MEMBER_EXTERNAL_ID: 'member-external-id',
  QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/999999999999/q',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/** Builds the bundles (unless asked not to), then their size and median cold module-load time. */
export function benchBundles(runs = 11, build = true): Record<string, BundleFigures> {
  if (build) execFileSync('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'], { cwd: ROOT, stdio: 'ignore' });
  const figures: Record<string, BundleFigures> = {};
  for (const app of APPS) {
    const file = join(ROOT, 'dist', 'apps', app, 'index.mjs');
    if (!existsSync(file)) throw new Error(`no bundle at ${file}: run \`npx nx run-many -t build\``);
    const times: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      // A fresh Node process each time: the time to import (load, parse, evaluate) the bundle.
      const probe = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`,
        ],
        {
          env: { PATH: process.env.PATH, ...ENV },
          encoding: 'utf8',
        },
      );
      if (probe.status !== 0) throw new Error(`${app} failed to load: ${probe.stderr}`);
      times.push(Number(probe.stdout));
    }
    const sorted = times.sort((a, b) => a - b);
    figures[app] = { bytes: statSync(file).size, coldLoadMsMedian: Math.round(sorted[Math.floor(runs / 2)]! * 10) / 10, runs };
  }
  return figures;
}
