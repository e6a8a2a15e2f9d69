import { parseEntityArn } from '@lockdown/contracts';
import type { LockdownConfig } from '@lockdown/services';
import { CheckLine } from './outcome';
import { PreflightReads, PreflightSetup } from './reads';

/**
 * The settings that name IAM principals, and what goes wrong when one does not exist: one line
 * per list (a new list of principals is one more line here).
 */
export const PRINCIPAL_SETTINGS: ReadonlyArray<{ setting: string; consequence: string }> = [
  {
    setting: 'allowedPublishers',
    consequence:
      "KMS rejects the ingress key's policy (MalformedPolicyDocumentException) and LockdownCore rolls back; create it first or remove it",
  },
  {
    setting: 'allowedReleasers',
    consequence:
      "KMS rejects the release key's policy (MalformedPolicyDocumentException) and LockdownCore rolls back; create it first or remove it",
  },
  {
    setting: 's3BreakGlassPrincipals',
    consequence:
      'S3 refuses the deny statement naming it (Invalid principal in policy) when a bucket is contained; create it first or remove it',
  },
];

function listOf(config: LockdownConfig, setting: string): string[] {
  const value = config[setting];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The IAM principal an ARN of the configuration names: a user, a role (a session names its role), or an account's root. */
function principalOf(arn: string): { account: string; kind: 'user' | 'role' | 'root'; name: string } | undefined {
  const root = /^arn:[\w-]+:iam::(\d{12}):root$/.exec(arn);
  if (root) return { account: root[1]!, kind: 'root', name: 'root' };
  const parsed = parseEntityArn(arn);
  if (!parsed.ok) return undefined;
  const entity = parsed.entity;
  if (entity.type === 'iam-user') return { account: entity.accountId, kind: 'user', name: entity.name };
  if (entity.type === 'iam-role') return { account: entity.accountId, kind: 'role', name: entity.name };
  if (entity.type === 'iam-role-session') return { account: entity.accountId, kind: 'role', name: entity.roleName };
  return undefined;
}

/** Every principal the configuration names exists (IAM reads only the caller's own account: others are warnings). */
export async function checkPrincipals(setup: PreflightSetup, reads: PreflightReads): Promise<CheckLine[]> {
  const lines: CheckLine[] = [];
  for (const { setting, consequence } of PRINCIPAL_SETTINGS)
    for (const arn of listOf(setup.config, setting)) {
      const principal = principalOf(arn);
      const line = (outcome: CheckLine['outcome'], message: string, fix?: string): CheckLine => ({
        check: 'principals',
        outcome,
        message: `${setting}: ${arn} ${message}`,
        ...(fix ? { fix } : {}),
      });
      if (!principal) lines.push(line('fail', 'is not an IAM user, role, role session or account root ARN', `correct it in ${setting}`));
      else if (principal.account !== setup.caller.account)
        lines.push(
          line(
            'warn',
            `is in account ${principal.account}: cannot verify from this account (${setup.caller.account})`,
            `check it there: aws iam get-${principal.kind === 'user' ? 'user --user-name' : 'role --role-name'} ${principal.name}`,
          ),
        );
      else if (principal.kind === 'root') lines.push(line('pass', 'is this account'));
      else if (await reads.principalExists(principal.kind, principal.name)) lines.push(line('pass', 'exists'));
      else
        lines.push(
          line(
            'fail',
            `does not exist: ${consequence}`,
            `aws iam create-${principal.kind} --${principal.kind}-name ${principal.name} ..., or remove it from ${setting}`,
          ),
        );
    }
  if (lines.length === 0)
    lines.push({
      check: 'principals',
      outcome: 'pass',
      message: `no principals configured (${PRINCIPAL_SETTINGS.map((s) => s.setting).join(', ')})`,
    });
  return lines;
}
