import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = ['chromium', 'chromium-browser'];

const onPath = (name: string): string | undefined => {
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    const path = `${dir}/${name}`;
    if (dir && existsSync(path)) return path;
  }
  return undefined;
};

const find = () => CANDIDATES.map(onPath).find((path) => path !== undefined);

/**
 * The headless browser the report tests drive: Debian's `chromium` (playwright's own download
 * cannot be reached here). Found on the PATH, or installed once with apt-get; when neither works
 * the test fails saying so: a report test never skips silently.
 */
export function chromiumForTests(): string {
  const found = find();
  if (found) return found;
  const attempts: string[] = [];
  for (const command of [['install', '-y', 'chromium'], ['update'], ['install', '-y', 'chromium']]) {
    try {
      execFileSync('apt-get', command, { stdio: 'pipe', timeout: 600_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    } catch (error) {
      attempts.push(`apt-get ${command.join(' ')}: ${(error as Error).message.split('\n')[0]}`);
    }
    if (command[0] === 'install' && find()) return find()!;
  }
  throw new Error(
    `no headless browser for the report tests: neither ${CANDIDATES.join(' nor ')} is on the PATH, and installing Debian's chromium failed (${attempts.join('; ')}). Install it (apt-get install -y chromium) and run the tests again.`,
  );
}
