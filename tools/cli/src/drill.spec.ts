import { spawn } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(__dirname, '..', 'bin', 'lockdown.cjs');

describe('lockdown drill', () => {
  it('runs the whole pipeline locally and passes every check (exit 0)', async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, '--json', 'drill', '--untracked-window', '1', '--timeout', '90'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (exit) => resolve({ code: exit, stdout: out, stderr: err }));
    });
    const report = JSON.parse(stdout);
    const failed = report.checks.filter((c: { ok: boolean }) => !c.ok);
    expect({ failed, stderr: code === 0 ? '' : stderr }).toEqual({ failed: [], stderr: '' });
    expect(code).toBe(0);
    expect(report.checks.length).toBeGreaterThanOrEqual(21);
    const subjects: string[] = report.emails.map((e: { subject: string }) => e.subject);
    expect(subjects.filter((s) => s.startsWith('[lockdown] CONTAINED'))).toHaveLength(4);
    expect(subjects.filter((s) => s.startsWith('[lockdown] REJECTED'))).toHaveLength(3);
    expect(subjects.filter((s) => s.startsWith('[lockdown] RELEASED'))).toHaveLength(4);
  });
});
