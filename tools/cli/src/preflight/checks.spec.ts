import { loadConfig } from '@lockdown/services';
import { CheckLine, CheckName, preflightExitCode, selectChecks } from './outcome';
import { PreflightReads, PreflightSetup } from './reads';
import { runChecks } from './run-checks';
import { EXIT } from '../errors';

const SECURITY = '111111111111';
const MEMBER = '222222222222';
const REGION = 'eu-west-1';
const SERVICE_SESSION = `arn:aws:sts::${SECURITY}:assumed-role/lockdown-iam-lockdown/preflight`;
const OPERATOR = `arn:aws:sts::${SECURITY}:assumed-role/Admin/alice`;

const refused = (name: string) => Object.assign(new Error(`${name}: not for you`), { name });

/** An AWS as preflight sees it: every prerequisite met unless a test changes one. */
function world() {
  return {
    bootstrapVersion: 27 as number | undefined,
    toolkitStatus: 'UPDATE_COMPLETE' as string | undefined,
    roles: new Set(['soar', 'breakglass']),
    users: new Set<string>(),
    securityHub: true,
    detectors: { [REGION]: ['det-1'] } as Record<string, string[]>,
    guardDutyAdministrator: undefined as string | undefined,
    delegated: [SECURITY] as string[] | 'denied',
    organization: { id: 'o-abcdefghij', managementAccountId: SECURITY, featureSet: 'ALL' } as
      { id: string; managementAccountId: string; featureSet: string } | undefined,
    roots: [{ id: 'r-ab12', enabledPolicyTypes: ['SERVICE_CONTROL_POLICY'] }] as Array<{ id: string; enabledPolicyTypes: string[] }>,
    rootsDenied: false,
    ous: new Set(['ou-ab12-abcdefgh']),
    accounts: new Set([SECURITY, MEMBER]),
    trustedAccess: ['member.org.stacksets.cloudformation.amazonaws.com'],
    memberRoles: new Set([MEMBER]),
  };
}
type World = ReturnType<typeof world>;
/** No change to the world: every prerequisite stays met. */
const unchanged = (_w: World) => undefined;

/** Preflight's reads answered from the world: plain functions, as the AWS adapter answers them. */
function readsOf(w: World): PreflightReads {
  return {
    callerIdentity: async () => ({ account: SECURITY, arn: SERVICE_SESSION }),
    bootstrapVersion: async () => w.bootstrapVersion,
    toolkitStackStatus: async () => w.toolkitStatus,
    principalExists: async (kind, name) => (kind === 'user' ? w.users : w.roles).has(name),
    securityHubEnabled: async () => w.securityHub,
    guardDutyDetectors: async (region) => w.detectors[region] ?? [],
    guardDutyAdministrator: async () => w.guardDutyAdministrator,
    delegatedAdministrators: async () => {
      if (w.delegated === 'denied') throw refused('AccessDeniedException');
      return w.delegated;
    },
    organization: async () => w.organization,
    roots: async () => {
      if (w.rootsDenied) throw refused('AccessDeniedException');
      return w.roots;
    },
    organizationalUnitExists: async (id) => w.ous.has(id),
    accountExists: async (id) => w.accounts.has(id),
    servicesWithTrustedAccess: async () => w.trustedAccess,
    assumeAndIdentify: async (roleArn) => {
      const account = roleArn.split(':')[4]!;
      if (!w.memberRoles.has(account)) throw refused('AccessDenied');
      return account;
    },
  };
}

const CONTEXT = {
  allowedPublishers: `arn:aws:iam::${SECURITY}:role/soar`,
  s3BreakGlassPrincipals: `arn:aws:iam::${SECURITY}:role/breakglass`,
  onboardedAccounts: MEMBER,
  orgGuardTargets: 'r-ab12,ou-ab12-abcdefgh',
};

function setupOf(context: Record<string, unknown> = CONTEXT, caller = SERVICE_SESSION): PreflightSetup {
  return {
    config: loadConfig((key) => context[key]),
    caller: { account: SECURITY, arn: caller, partition: 'aws' },
    region: REGION,
    qualifier: 'hnb659fds',
    otherRegions: [],
    memberAccounts: [MEMBER],
  };
}

async function check(name: CheckName, change: (w: World) => void = unchanged, setup = setupOf()): Promise<CheckLine[]> {
  const w = world();
  change(w);
  return runChecks([name], setup, readsOf(w));
}
const failures = (lines: CheckLine[]) => lines.filter((l) => l.outcome === 'fail');
const warnings = (lines: CheckLine[]) => lines.filter((l) => l.outcome === 'warn');

describe('lockdown preflight checks', () => {
  it('passes every check when every prerequisite is met: exit code 0', async () => {
    const lines = await runChecks(selectChecks(undefined) as CheckName[], setupOf(), readsOf(world()));

    expect(lines.filter((l) => l.outcome !== 'pass')).toEqual([]);
    expect(new Set(lines.map((l) => l.check)).size).toBe(8);
    expect(preflightExitCode(lines)).toBe(0);
  });

  describe('bootstrap', () => {
    it('fails with the bootstrap command when the security account and region were never bootstrapped', async () => {
      const lines = await check('bootstrap', (w) => ((w.bootstrapVersion = undefined), (w.toolkitStatus = undefined)));

      expect(failures(lines)).toEqual([
        expect.objectContaining({
          message: expect.stringContaining('is not CDK-bootstrapped'),
          fix: `npx cdk bootstrap aws://${SECURITY}/${REGION}`,
        }),
      ]);
      expect(preflightExitCode(lines)).toBe(1);
    });

    it('warns when these credentials are not for the configured securityAccountId: the stacks deploy there', async () => {
      const lines = await check('bootstrap', unchanged, setupOf({ ...CONTEXT, securityAccountId: '999999999999' }));

      expect(warnings(lines)).toEqual([expect.objectContaining({ message: expect.stringContaining('securityAccountId is 999999999999') })]);
    });

    it('fails when the bootstrap is older than the stacks accept', async () => {
      expect(failures(await check('bootstrap', (w) => (w.bootstrapVersion = 5)))).toHaveLength(1);
    });

    it('fails, naming the qualifier, when the toolkit stack is there but not its version parameter', async () => {
      const [line] = await check('bootstrap', (w) => (w.bootstrapVersion = undefined));

      expect(line).toMatchObject({ outcome: 'fail', message: expect.stringContaining('/cdk-bootstrap/hnb659fds/version') });
    });
  });

  describe('principals', () => {
    it('fails for a publisher that does not exist yet, saying KMS would reject the key policy', async () => {
      const lines = await check('principals', (w) => w.roles.delete('soar'));

      expect(failures(lines)).toEqual([
        expect.objectContaining({
          message: expect.stringMatching(/allowedPublishers: .*role\/soar does not exist: KMS .*MalformedPolicyDocumentException/),
        }),
      ]);
    });

    it('checks s3BreakGlassPrincipals too, and a session ARN by its role', async () => {
      const setup = setupOf({ ...CONTEXT, allowedPublishers: `arn:aws:sts::${SECURITY}:assumed-role/soar/bot` });

      const lines = await check('principals', (w) => w.roles.delete('breakglass'), setup);

      expect(lines.map((l) => [l.outcome, l.message.split(':')[0]])).toEqual([
        ['pass', 'allowedPublishers'],
        ['fail', 's3BreakGlassPrincipals'],
      ]);
    });

    it('checks allowedReleasers: a releaser that does not exist yet fails, saying KMS would reject the release key', async () => {
      const setup = setupOf({ ...CONTEXT, allowedReleasers: `arn:aws:iam::${SECURITY}:role/incident-lead` });

      const lines = await check('principals', unchanged, setup);

      expect(failures(lines)).toEqual([
        expect.objectContaining({
          message: expect.stringMatching(/allowedReleasers: .*role\/incident-lead does not exist: KMS .*release key/),
        }),
      ]);
    });

    it('warns, never passes, for a principal in another account: IAM cannot read it from here', async () => {
      const setup = setupOf({ ...CONTEXT, allowedPublishers: `arn:aws:iam::${MEMBER}:user/soar` });

      const lines = await check('principals', unchanged, setup);

      expect(warnings(lines)).toEqual([expect.objectContaining({ message: expect.stringContaining('cannot verify from this account') })]);
      expect(preflightExitCode(lines)).toBe(EXIT.warnings);
    });
  });

  it('security-hub: fails with the command that enables it when the account is not subscribed in the region', async () => {
    const lines = await check('security-hub', (w) => (w.securityHub = false));

    expect(failures(lines)).toEqual([expect.objectContaining({ fix: `aws securityhub enable-security-hub --region ${REGION}` })]);
  });

  describe('guardduty', () => {
    it('fails when the region has no detector', async () => {
      const lines = await check('guardduty', (w) => (w.detectors = {}));

      expect(failures(lines)).toEqual([expect.objectContaining({ fix: `aws guardduty create-detector --enable --region ${REGION}` })]);
    });

    it("warns when this account is another administrator's GuardDuty member: the organization's findings arrive there", async () => {
      const lines = await check('guardduty', (w) => ((w.guardDutyAdministrator = MEMBER), (w.delegated = [MEMBER])));

      expect(warnings(lines)).toEqual([expect.objectContaining({ message: expect.stringContaining(`GuardDuty member of ${MEMBER}`) })]);
    });

    it('warns when it cannot tell who the delegated administrator is', async () => {
      expect(warnings(await check('guardduty', (w) => (w.delegated = 'denied')))).toHaveLength(1);
    });

    it('warns for a detector in another region: GuardDuty does not aggregate across regions', async () => {
      const setup = { ...setupOf(), otherRegions: ['us-east-1', 'ap-south-1'] };

      const lines = await check('guardduty', (w) => (w.detectors['us-east-1'] = ['det-2']), setup);

      expect(warnings(lines)).toEqual([expect.objectContaining({ message: expect.stringContaining('detector in us-east-1 too') })]);
    });
  });

  describe('organization', () => {
    it('fails without an organization', async () => {
      const lines = await check('organization', (w) => (w.organization = undefined));

      expect(failures(lines)).toEqual([expect.objectContaining({ fix: 'aws organizations create-organization --feature-set ALL' })]);
    });

    it('fails when service control policies are not enabled on the root', async () => {
      const lines = await check('organization', (w) => (w.roots[0]!.enabledPolicyTypes = []));

      expect(failures(lines)).toEqual([
        expect.objectContaining({ fix: 'aws organizations enable-policy-type --root-id r-ab12 --policy-type SERVICE_CONTROL_POLICY' }),
      ]);
    });

    it('fails when organizationId names another organization: the member role would refuse every service', async () => {
      const lines = await check('organization', unchanged, setupOf({ ...CONTEXT, organizationId: 'o-zzzzzzzzzz' }));

      expect(failures(lines)).toEqual([expect.objectContaining({ message: expect.stringContaining('aws:PrincipalOrgID') })]);
    });

    it('warns, naming the management account, when run from an account that may not read the roots', async () => {
      const lines = await check('organization', (w) => ((w.organization!.managementAccountId = '333333333333'), (w.rootsDenied = true)));

      expect(warnings(lines)).toEqual([expect.objectContaining({ message: expect.stringContaining('management account 333333333333') })]);
    });
  });

  it('guard-targets: fails for a target that is not in the organization', async () => {
    const lines = await check('guard-targets', (w) => w.ous.clear());

    expect(lines.map((l) => l.outcome)).toEqual(['pass', 'fail']);
    expect(failures(lines)[0]!.message).toContain('ou-ab12-abcdefgh is not in organization o-abcdefghij');
  });

  it('stacksets: fails with the command that enables trusted access', async () => {
    const lines = await check('stacksets', (w) => (w.trustedAccess = []));

    expect(failures(lines)).toEqual([expect.objectContaining({ fix: expect.stringContaining('activate-organizations-access') })]);
  });

  describe('member-role', () => {
    it('fails when a service role cannot assume the member role: the StackSet has not reached the account', async () => {
      const lines = await check('member-role', (w) => w.memberRoles.clear());

      expect(failures(lines)).toEqual([expect.objectContaining({ message: expect.stringContaining(`has not reached ${MEMBER}`) })]);
    });

    it("warns when an operator is refused: the role trusts only lockdown's service roles, so nothing is proven either way", async () => {
      const lines = await check('member-role', (w) => w.memberRoles.clear(), setupOf(CONTEXT, OPERATOR));

      expect(warnings(lines)).toEqual([expect.objectContaining({ message: expect.stringContaining('trusts only lockdown') })]);
    });
  });

  it('reports a refused read as a warning and any other error as that check failing, and goes on with the others', async () => {
    const reads = readsOf(world());
    reads.securityHubEnabled = async () => {
      throw refused('AccessDeniedException');
    };
    reads.servicesWithTrustedAccess = async () => {
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    };
    reads.organization = async () => ({ id: 'o-abcdefghij', managementAccountId: SECURITY, featureSet: 'ALL' });

    const lines = await runChecks(['security-hub', 'stacksets', 'bootstrap'], setupOf(), reads);

    expect(lines.map((l) => [l.check, l.outcome])).toEqual([
      ['security-hub', 'warn'],
      ['stacksets', 'fail'],
      ['bootstrap', 'pass'],
    ]);
    expect(lines[1]!.message).toBe('could not check: ECONNRESET: socket hang up');
  });

  it('--only takes the check names and refuses any other', () => {
    expect(selectChecks('member-role, bootstrap')).toEqual(['bootstrap', 'member-role']);
    expect(selectChecks('bootstrapp')).toMatch(/^--only takes bootstrap, principals/);
  });
});
