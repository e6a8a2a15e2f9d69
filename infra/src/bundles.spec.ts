import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SERVICES } from '@lockdown/contracts';
import { bundlePath } from './names';

const APPS = ['intake', 'triggers', ...SERVICES] as const;
const modulesOf = (app: (typeof APPS)[number]) =>
  readdirSync(bundlePath(app), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.mjs'))
    .map((f) => resolve(bundlePath(app), f));

/** What Node loads before the handler runs: the entry and its static imports, transitively. */
function loadedAtColdStart(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const [, path] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*"(\.{1,2}\/[^"]+)"/g))
    loadedAtColdStart(resolve(dirname(file), path!), seen);
  return seen;
}
const text = (files: Iterable<string>) => [...files].map((f) => readFileSync(f, 'utf8')).join('\n');

describe('the Lambda bundles (esbuild, code splitting)', () => {
  it.each(APPS)('%s: every chunk, lazily imported ones included, loads in Node', (app) => {
    const chunks = modulesOf(app).filter((f) => !f.endsWith('main.mjs'));
    const probe = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', `for (const f of ${JSON.stringify(chunks)}) await import(f);`],
      { encoding: 'utf8' },
    );
    expect(probe.stderr).toBe('');
    expect(probe.status).toBe(0);
  });

  it("ec2-isolation loads its options' clients (Auto Scaling, ELB) only when an option calls them", () => {
    const entry = resolve(bundlePath('ec2-isolation'), 'main.mjs');
    const atStart = text(loadedAtColdStart(entry));
    const deployed = text(modulesOf('ec2-isolation'));
    for (const operation of ['DescribeAutoScalingInstances', 'DescribeTargetHealth']) {
      expect(atStart.includes(operation)).toBe(false);
      expect(deployed.includes(operation)).toBe(true);
    }
    expect(atStart.includes('ModifyNetworkInterfaceAttribute')).toBe(true);
  });
});
