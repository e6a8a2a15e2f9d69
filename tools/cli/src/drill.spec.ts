import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PolicyDocument } from '@lockdown/contracts';
import { memberPolicy } from '@lockdown/services';
import { AuthorizationRecord, decide } from '@lockdown/sandbox';
import type { DrillReport } from './drill/run-drill';

const BIN = join(__dirname, '..', 'bin', 'lockdown.cjs');

/** The member-role policy as it was before the fix: ListEventSourceMappings scoped to function ARNs. */
function policyBeforeTheFix(policy: PolicyDocument): PolicyDocument {
  return {
    ...policy,
    Statement: policy.Statement.filter((s) => s.Sid !== 'ListMappings').map((s) =>
      s.Sid === 'Functions' ? { ...s, Action: [...s.Action, 'lambda:ListEventSourceMappings'] } : s,
    ),
  };
}

describe('lockdown drill', () => {
  let run: { code: number | null; stdout: string; stderr: string };
  let report: DrillReport;

  beforeAll(async () => {
    run = await new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, '--json', 'drill', '--untracked-window', '1', '--timeout', '90'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (exit) => resolve({ code: exit, stdout: out, stderr: err }));
    });
    report = JSON.parse(run.stdout);
  });

  it('runs the whole pipeline locally and passes every check (exit 0)', () => {
    const failed = report.checks.filter((c) => !c.ok);
    expect({ failed, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ failed: [], stderr: '' });
    expect(run.code).toBe(0);
    expect(report.checks.length).toBeGreaterThanOrEqual(36);
    const subjects = report.emails.map((e) => e.subject);
    expect(subjects.filter((s) => s.startsWith('[lockdown] CONTAINED'))).toHaveLength(6);
    expect(subjects.filter((s) => s.startsWith('[lockdown] REJECTED'))).toHaveLength(3);
    expect(subjects.filter((s) => s.startsWith('[lockdown] RELEASED'))).toHaveLength(6);
    // The low-severity GuardDuty finding: suggested, once; the archived one: nothing.
    expect(subjects.filter((s) => s.startsWith('[lockdown] SUGGESTED'))).toHaveLength(1);
  });

  describe('every member-account call the services made, authorized as AWS would (iam-simulate)', () => {
    const memberCalls = () =>
      (report.authorizations ?? []).filter((r: AuthorizationRecord) => r.principal.endsWith(':role/lockdown-member'));
    const policy = () => memberPolicy({ partition: 'aws', account: report.memberAccount, memberRoleName: 'lockdown-member' });
    const allowedActions = () =>
      policy()
        .Statement.filter((s) => s.Effect === 'Allow')
        .flatMap((s) => s.Action);

    it('lists each (action, resource) and finds it allowed by the member-role policy the stack synthesizes', async () => {
      const calls = memberCalls();
      // Not in the drill: the EC2 options (Auto Scaling, load balancers, snapshots), a drifted group of
      // ours (ingress revoke), a function without reserved concurrency and a user's other credentials
      // (the drill's user has none), a bucket without a policy, the console-password option (off); the service tests make those calls under the same sandbox authorization.
      const options =
        /^(autoscaling|elasticloadbalancing):|^ec2:(CreateSnapshot|RevokeSecurityGroupIngress)$|^lambda:DeleteFunctionConcurrency$|^iam:Update(SSHPublicKey|ServiceSpecificCredential|SigningCertificate)$|^s3:DeleteBucketPolicy$|^iam:(Get|Delete)LoginProfile$/;
      expect(new Set(calls.map((c) => c.action))).toEqual(new Set(allowedActions().filter((a) => !options.test(a))));
      const decisions = await Promise.all(
        calls.map(async (c) => ({
          call: `${c.action} ${c.resource}`,
          decision: await decide(c.principal, report.memberAccount, [{ name: 'member', policy: policy() }], c),
        })),
      );
      expect(decisions.filter((d) => d.decision !== 'Allowed')).toEqual([]);
    });

    it('refuses lambda:ListEventSourceMappings, and only it, under the policy before the fix (the action supports only "*")', async () => {
      const old = policyBeforeTheFix(policy());
      const decisions = await Promise.all(
        memberCalls().map(async (c) => ({
          action: c.action,
          decision: await decide(c.principal, report.memberAccount, [{ name: 'member', policy: old }], c),
        })),
      );
      expect([...new Set(decisions.filter((d) => d.decision !== 'Allowed').map((d) => d.action))]).toEqual([
        'lambda:ListEventSourceMappings',
      ]);
    });
  });
});
