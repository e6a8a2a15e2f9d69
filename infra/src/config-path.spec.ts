import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkSettingNames, configWarnings, loadConfig, startingContext } from '@lockdown/services';

const ROOT = resolve(__dirname, '..', '..');
const MAIN = join(ROOT, 'infra', 'src', 'main.ts');
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

/** A directory with a cdk.json as a user would write it. */
function project(context: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockdown-cdk-'));
  writeFileSync(join(dir, 'cdk.json'), JSON.stringify({ app: `${bin('tsx')} ${MAIN}`, output: 'cdk.out', context }));
  return dir;
}
const run = (command: string, args: string[], cwd: string, env: Record<string, string> = {}) =>
  // The directory has no tsconfig: tsx takes the workspace's (its path aliases).
  spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.base.json'), ...env },
    timeout: 120_000,
  });
const template = (dir: string, stack: string) => readFileSync(join(dir, 'cdk.out', `${stack}.template.json`), 'utf8');

describe('one configuration path: cdk.json and -c reach the templates however lockdown is synthesized', () => {
  const settings = { auditEmails: 'soc@example.com', revokeRoleSessions: true, securityAccountId: '999999999999' };

  it('npm run synth, nx run infra:synth and every nx deploy (the app run directly) read cdk.json', () => {
    const dir = project(settings);
    const result = run(bin('tsx'), [MAIN], dir, { CDK_OUTDIR: join(dir, 'cdk.out') });
    expect(result.status).toBe(0);
    expect(template(dir, 'LockdownCore')).toContain('soc@example.com');
    expect(template(dir, 'Lockdown-iam-lockdown')).toMatch(/"REVOKE_ROLE_SESSIONS":\s*"true"/);
  });

  it('the CDK CLI (cdk synth, cdk deploy) reads cdk.json and -c, with credentials resolving the account too', () => {
    // Whoever deploys has credentials: the CDK CLI then gives the app the account (CDK_DEFAULT_ACCOUNT).
    const dir = project({ auditEmails: 'soc@example.com', revokeRoleSessions: true });
    const result = run(
      bin('cdk'),
      [
        'synth',
        '--quiet',
        '--no-notices',
        '-c',
        'allowedPublishers=arn:aws:iam::111111111111:role/soar',
        '-c',
        'securityAccountId=999988887777',
      ],
      dir,
      { CDK_DEFAULT_ACCOUNT: '222233334444', CDK_DEFAULT_REGION: 'eu-west-1' },
    );
    expect(result.stderr).not.toMatch(/Error|finished with errors/i);
    expect(result.status).toBe(0);
    expect(template(dir, 'LockdownCore')).toContain('soc@example.com');
    expect(template(dir, 'LockdownCore')).toContain('arn:aws:iam::111111111111:role/soar');
    expect(template(dir, 'Lockdown-iam-lockdown')).toMatch(/"REVOKE_ROLE_SESSIONS":\s*"true"/);
    // The StackSet deploys one member template to every account: its own account is AWS::AccountId,
    // never the deploying account; the only account it names is the security account (its trust, and
    // lockdown's own service roles there, which the role never changes).
    const member = template(dir, 'LockdownMemberRole');
    expect(new Set(member.match(/(?<!\d)\d{12}(?!\d)/g))).toEqual(new Set(['999988887777']));
    const role = Object.values(JSON.parse(member).Resources as Record<string, { Type: string; Properties: any }>).find(
      (r) => r.Type === 'AWS::IAM::Role',
    )!;
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain(':iam::999988887777:root');
  });

  it('refuses to synthesize the member role without securityAccountId, in one line naming the setting', () => {
    const dir = project({ auditEmails: 'soc@example.com', allowedPublishers: 'arn:aws:iam::111111111111:role/soar' });
    const result = run(bin('tsx'), [MAIN], dir, { CDK_OUTDIR: join(dir, 'cdk.out'), CDK_DEFAULT_ACCOUNT: '222233334444' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      'lockdown: securityAccountId is not set: the member role trusts the security account that runs lockdown; set it with -c securityAccountId=<12-digit account id> or in the context of cdk.json',
    );
  });

  it('refuses a misspelled setting with a clear error naming it, and no stack trace', () => {
    const dir = project({ auditEmail: 'soc@example.com' });
    const result = run(bin('tsx'), [MAIN], dir, { CDK_OUTDIR: join(dir, 'cdk.out') });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('unknown lockdown setting auditEmail; the settings are auditEmails,');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('configuration checks', () => {
  it('reads cdk.json unless the CDK CLI already passed the context', () => {
    const dir = project({ memberRoleName: 'sec-lockdown' });
    expect(startingContext(dir, {})).toEqual({ memberRoleName: 'sec-lockdown' });
    expect(startingContext(dir, { CDK_CONTEXT_JSON: '{}' })).toEqual({});
    expect(startingContext(tmpdir(), {})).toEqual({});
  });

  it("accepts lockdown's settings and CDK's own keys, and names unknown ones", () => {
    expect(() => checkSettingNames(['auditEmails', '@aws-cdk/core:newStyleStackSynthesis', 'aws:cdk:enable-path-metadata'])).not.toThrow();
    expect(() => checkSettingNames(['auditEmail', 'onboardedAcounts'])).toThrow(/unknown lockdown settings auditEmail, onboardedAcounts/);
  });

  it('warns when nobody would receive audit emails or could publish or release requests', () => {
    expect(configWarnings(loadConfig(() => undefined))).toEqual([
      expect.stringContaining('auditEmails is empty'),
      expect.stringContaining('allowedPublishers is empty'),
      expect.stringContaining('allowedReleasers is empty: nobody can release'),
    ]);
    const settings: Record<string, unknown> = {
      auditEmails: 'a@b.c',
      allowedPublishers: 'arn:aws:iam::111111111111:role/x',
      allowedReleasers: 'arn:aws:iam::111111111111:role/lead',
    };
    expect(configWarnings(loadConfig((k) => settings[k]))).toEqual([]);
    // The Security Hub release action alone is a releaser too.
    expect(
      configWarnings(loadConfig((k) => ({ ...settings, allowedReleasers: undefined, triggers: { securityHubRelease: true } })[k])),
    ).toEqual([]);
  });
});
