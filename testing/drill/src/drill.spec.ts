import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PolicyDocument } from '@lockdown/contracts';
import { memberPolicy } from '@lockdown/services';
import { AuthorizationRecord, decide } from '@lockdown/sandbox';
import { SECURITY_ACCOUNT } from './drill-accounts';
import type { DrillReport } from './run-drill';
import type { CampaignReport } from './adversary/campaign';
import type { ReadmeAttackerReport } from './adversary/readme-attacker';

const BIN = join(__dirname, '..', 'bin', 'drill.cjs');

/** The member-role policy as it was before the fix: ListEventSourceMappings scoped to function ARNs. */
function policyBeforeTheFix(policy: PolicyDocument): PolicyDocument {
  return {
    ...policy,
    Statement: policy.Statement.filter((s) => s.Sid !== 'ListMappings').map((s) =>
      s.Sid === 'Functions' ? { ...s, Action: [...s.Action, 'lambda:ListEventSourceMappings'] } : s,
    ),
  };
}

type Run = { code: number | null; stdout: string; stderr: string };

/** The drill in a child process, as a user runs it (`npm run drill -- ...`). */
const drill = (...args: string[]): Promise<Run> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (exit) => resolve({ code: exit, stdout: out, stderr: err }));
  });

describe('the drill refuses bad options', () => {
  it.each<[string, string[], string]>([
    [
      'a window that is not a number',
      ['--untracked-window', 'abc'],
      '--untracked-window must be a whole number of seconds from 0 to 900, got "abc"',
    ],
    ['a negative window', ['--untracked-window', '-5'], '--untracked-window must be a whole number of seconds from 0 to 900, got "-5"'],
    ['a timeout that is not a number', ['--timeout', 'abc'], '--timeout must be a positive number of seconds, got "abc"'],
    ['a propagation delay without --adversary', ['--propagation-delay', '3'], '--propagation-delay applies to --adversary only'],
  ])('refuses a drill with %s in one line, before starting anything (exit 2)', async (_case, args, message) => {
    const started = Date.now();
    const { code, stderr } = await drill(...args);
    expect(code).toBe(2);
    expect(stderr).toBe(`error: ${message}; nothing was started\n`);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('the drill --guard (the organization guard over the member account)', () => {
  it("refuses every tampering (AccessDenied from the SCP, evaluated with IAM's logic) while lockdown contains and releases everything", async () => {
    const run = await drill('--json', '--guard', '--untracked-window', '1', '--timeout', '90');
    const report = JSON.parse(run.stdout) as DrillReport;
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.tamper).toMatchObject({ configuration: 'guard', attempts: 2, refused: 2, succeeded: 0, undoneByWatch: 0 });
    expect(report.emails.filter((e) => e.subject.startsWith('[lockdown] TAMPERED'))).toEqual([]);
  });

  it('needs the sandbox: an emulator does not evaluate policies (exit 2)', async () => {
    const run = await drill('--guard', '--endpoint', 'http://127.0.0.1:9');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--guard needs the built-in sandbox/);
  });
});

describe('the drill --adversary (an attacker per entity, IAM eventual consistency modelled)', () => {
  it('holds every entity under the guard from the propagation delay on, never without it, refuses the README attacker, and releases exactly in both', async () => {
    const run = await drill('--json', '--adversary', '--timeout', '120');
    const { adversary, escapes } = JSON.parse(run.stdout) as { adversary: CampaignReport[]; escapes: ReadmeAttackerReport[] };
    expect(adversary.map((r) => [r.configuration, r.checks.filter((c) => !c.ok)])).toEqual([
      ['watch only', []],
      ['guard', []],
    ]);
    // The README attacker: every escape as expected, the member role and every entity back exactly.
    expect(escapes.map((r) => [r.configuration, r.checks.filter((c) => !c.ok)])).toEqual([
      ['watch only', []],
      ['guard', []],
    ]);
    const outcomes = (configuration: string) =>
      Object.fromEntries(escapes.find((r) => r.configuration === configuration)!.rows.map((row) => [row.escape, row.outcome]));
    expect(outcomes('guard')).toEqual({
      'member-role': 'refused by AWS (guard)',
      'tag-casing': 'refused by AWS (guard)',
      'break-glass-tag': 'refused by AWS (guard)',
      'lockdown-name': 'contained anyway',
      'isolation-group': 'contained anyway',
      'policy-padding': 'contained anyway',
      'instance-doors': 'refused by AWS (guard)',
      'delete-function': 'refused by AWS (guard)',
      'release-as-contain': 'refused by lockdown (release-on-ingress-topic)',
      'release-button': 'ignored',
      'sample-findings': 'ignored',
    });
    expect(outcomes('watch only')).toMatchObject({
      'member-role': 'took effect',
      'tag-casing': 'took effect, put back by the watch',
      'break-glass-tag': 'took effect',
      'instance-doors': 'took effect',
      'delete-function': 'took effect',
    });
    expect(run.code).toBe(0);
    const [watchOnly, guard] = adversary as [CampaignReport, CampaignReport];
    const entities = ['iam-user', 'iam-role', 'lambda-function', 'ec2-instance'];
    expect(guard.scores.map((s) => s.entity)).toEqual(entities);
    for (const score of guard.scores) {
      // Held once lockdown's tags and denies have propagated: 4 s for a contained principal, plus
      // the watch's first tick (+5 s) for credentials denied on a shared role; nothing after that.
      expect(score.heldSeconds).not.toBeNull();
      expect(score.heldSeconds!).toBeGreaterThanOrEqual(4);
      // Counted from CONTAINED, not from the request: a loaded machine contains later, not worse.
      expect(score.heldSeconds! - score.containedSeconds!).toBeLessThan(5 + 4 + 3);
      expect(score.blocked).toBeGreaterThan(score.tookEffect);
    }
    // The tamper watch alone puts everything back at each tick, and loses the race each time.
    for (const score of watchOnly.scores) {
      expect(score.heldSeconds).toBeNull();
      expect(score.tamperedReports).toBeGreaterThanOrEqual(1);
      expect(score.tookEffect).toBeGreaterThan(0);
    }
    // Both campaigns, both configurations: about 40 s and 35 s on a quiet machine.
  }, 240_000);

  it('takes a propagation delay of 0 to 60 seconds (exit 2 otherwise)', async () => {
    const run = await drill('--adversary', '--propagation-delay', 'soon');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--propagation-delay must be 0 to 60 seconds/);
  });
});

describe('the drill', () => {
  let run: Run;
  let report: DrillReport;

  beforeAll(async () => {
    run = await drill('--json', '--untracked-window', '1', '--timeout', '90');
    report = JSON.parse(run.stdout);
  });

  it('runs the whole pipeline locally and passes every check (exit 0)', () => {
    const failed = report.checks.filter((c) => !c.ok);
    expect({ failed, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ failed: [], stderr: '' });
    expect(run.code).toBe(0);
    expect(report.checks.length).toBeGreaterThanOrEqual(43);
    const subjects = report.emails.map((e) => e.subject);
    // Every entity once at least: a redelivered message (or phase 2 of each phase-1 delivery) sends its email again.
    const entities = (kind: string) => new Set(subjects.filter((s) => s.startsWith(`[lockdown] ${kind}`)));
    expect(entities('CONTAINED').size).toBe(7);
    // Three bad requests, and a release published to the ingress topic (release is its own authority).
    expect(subjects.filter((s) => s.startsWith('[lockdown] REJECTED'))).toHaveLength(4);
    expect(entities('RELEASED').size).toBe(7);
    // The low-severity GuardDuty finding: suggested, once; the archived one: nothing.
    expect(subjects.filter((s) => s.startsWith('[lockdown] SUGGESTED'))).toHaveLength(1);
    // Without the guard, both changes of the attacker took effect and the watch undid both.
    expect(report.tamper).toMatchObject({ configuration: 'watch only', attempts: 2, refused: 0, succeeded: 2, undoneByWatch: 2 });
    // Undone by the first watch tick (the drill's schedule: 2, 8, 20 s after containment), so before the second.
    expect(report.tamper!.secondsExposed).toBeGreaterThan(0);
    expect(report.tamper!.secondsExposed).toBeLessThan(8);
  });

  describe('every member-account call the services made, authorized as AWS would (iam-simulate)', () => {
    const memberCalls = () =>
      (report.authorizations ?? []).filter((r: AuthorizationRecord) => r.principal.endsWith(':role/lockdown-member'));
    // Each call in its own account: the member account's, and the Identity Center user's second account (its sweep).
    const accountOf = (principal: string) => principal.split(':')[4]!;
    const policy = (account = report.memberAccount) =>
      memberPolicy({
        partition: 'aws',
        account,
        memberRoleName: 'lockdown-member',
        securityAccountId: SECURITY_ACCOUNT,
      });
    const allowedActions = () =>
      policy()
        .Statement.filter((s) => s.Effect === 'Allow')
        .flatMap((s) => s.Action);

    it('lists each (action, resource) and finds it allowed by the member-role policy the stack synthesizes', async () => {
      const calls = memberCalls();
      // Not in the drill: the EC2 options (Auto Scaling, load balancers, snapshots), a drifted group of
      // ours (ingress revoke), a function without reserved concurrency and a user's other credentials
      // (the drill's user has none), a bucket without a policy, the console-password option (off), an Identity Center
      // release that removes the session deny (keepIdentityCenterSessionDeny off); the service tests make those calls under the same sandbox authorization.
      const options =
        /^(autoscaling|elasticloadbalancing):|^ec2:(CreateSnapshot|RevokeSecurityGroupIngress)$|^lambda:DeleteFunctionConcurrency$|^iam:Update(SSHPublicKey|ServiceSpecificCredential|SigningCertificate)$|^s3:DeleteBucketPolicy$|^iam:(Get|Delete)LoginProfile$|^sso:DeleteInlinePolicyFromPermissionSet$/;
      expect(new Set(calls.map((c) => c.action))).toEqual(new Set(allowedActions().filter((a) => !options.test(a))));
      const decisions = await Promise.all(
        calls.map(async (c) => ({
          call: `${c.action} ${c.resource}`,
          decision: await decide(c.principal, accountOf(c.principal), [{ name: 'member', policy: policy(accountOf(c.principal)) }], c),
        })),
      );
      expect(decisions.filter((d) => d.decision !== 'Allowed')).toEqual([]);
    });

    it('refuses lambda:ListEventSourceMappings, and only it, under the policy before the fix (the action supports only "*")', async () => {
      const decisions = await Promise.all(
        memberCalls().map(async (c) => ({
          action: c.action,
          decision: await decide(
            c.principal,
            accountOf(c.principal),
            [{ name: 'member', policy: policyBeforeTheFix(policy(accountOf(c.principal))) }],
            c,
          ),
        })),
      );
      expect([...new Set(decisions.filter((d) => d.decision !== 'Allowed').map((d) => d.action))]).toEqual([
        'lambda:ListEventSourceMappings',
      ]);
    });
  });
});
