import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SERVICES } from '@lockdown/contracts';

export interface BundleSize {
  /** What a cold start loads: the entry and every chunk it imports statically. */
  bytes: number;
  /** Everything deployed, lazily imported chunks (`import()`) included. */
  totalBytes: number;
}

export interface BundleFigures extends BundleSize {
  coldLoadMsMedian: number;
  runs: number;
}

const ROOT = resolve(__dirname, '..', '..', '..');
export const APPS = ['intake', 'triggers', ...SERVICES];
/** Enough configuration for each bundle's cold start to succeed (it validates its environment). */
const ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  EXTERNAL_ID_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:999999999999:secret:x',
  DISPATCH_TOPIC_ARN: 'arn:aws:sns:us-east-1:999999999999:d',
  INGRESS_TOPIC_ARN: 'arn:aws:sns:us-east-1:999999999999:i',
  RELEASE_TOPIC_ARN: 'arn:aws:sns:us-east-1:999999999999:r',
  AUDIT_TOPIC_ARN: 'arn:aws:sns:us-east-1:999999999999:a',
  ONBOARDED_ACCOUNTS: 'all',
  SECURITY_ACCOUNT_ID: '999999999999',
  LEDGER_TABLE_NAME: 'ledger',
  MEMBER_EXTERNAL_ID: 'member-external-id',
  QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/999999999999/q',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/** Each function's entry file, as esbuild names it (the Lambda handler is `main.handler`). */
export const bundleEntry = (app: string) => join(ROOT, 'dist', 'apps', app, 'main.mjs');

/** The files an ES module loads before it runs: itself and its static imports, transitively. */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const [, path] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*"(\.{1,2}\/[^"]+)"/g))
    staticClosure(resolve(dirname(file), path!), seen);
  return seen;
}

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));

/** The bytes a cold start loads and the bytes deployed, per function (`npm run bundle:sizes`). */
export function bundleSize(app: string): BundleSize {
  const entry = bundleEntry(app);
  if (!existsSync(entry)) throw new Error(`no bundle at ${entry}: run \`npx nx run-many -t build\``);
  const sum = (files: Iterable<string>) => [...files].reduce((total, f) => total + statSync(f).size, 0);
  return { bytes: sum(staticClosure(entry)), totalBytes: sum(filesUnder(dirname(entry))) };
}

/** Builds the bundles (unless asked not to), then their size and median cold module-load time. */
export function benchBundles(runs = 11, build = true): Record<string, BundleFigures> {
  if (build) execFileSync('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'], { cwd: ROOT, stdio: 'ignore' });
  const figures: Record<string, BundleFigures> = {};
  for (const app of APPS) {
    const size = bundleSize(app);
    const file = bundleEntry(app);
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
    figures[app] = { ...size, coldLoadMsMedian: Math.round(sorted[Math.floor(runs / 2)]! * 10) / 10, runs };
  }
  return figures;
}
