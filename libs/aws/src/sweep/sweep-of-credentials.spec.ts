import { CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import type { DispatchMessage } from '@lockdown/contracts';
import { InMemoryLedger, roleInlinePolicy } from '@lockdown/containment';
import { SimulatedAws } from '@lockdown/sandbox';
import { MemberAccounts } from '../member-accounts';
import { CredentialRoles, createSweep } from './sweep-of-containment';
import { memberEventHistory } from './sweep-wiring';

const MEMBER = '111122223333';
const INSTANCE = 'i-0abc1234567890def';
const ARN = `arn:aws:ec2:eu-west-1:${MEMBER}:instance/${INSTANCE}`;

/**
 * Review finding (H2): an instance's (a function's) credentials are sessions of its roles, and the sweep
 * read those roles at sweep time: a second principal who replaced the instance profile (or the
 * function's role) after containment, or the instance's termination, left roles that matched none of
 * the attacker's calls, and the sweep found nothing without a word. It now matches the roles the
 * containment recorded (its credential-deny steps) with the current ones, and with none known, the
 * session name alone, and says so.
 */
describe("the persistence sweep of an instance's credentials", () => {
  let uninstall: () => void = () => undefined;
  afterEach(() => uninstall());

  const message: DispatchMessage = {
    version: 1,
    requestId: 'req-1',
    entity: {
      type: 'ec2-instance',
      arn: ARN,
      requestedArn: ARN,
      partition: 'aws',
      accountId: MEMBER,
      region: 'eu-west-1',
      name: INSTANCE,
      instanceId: INSTANCE,
    },
    action: 'contain',
    requestedAt: new Date().toISOString(),
    dryRun: false,
  };

  /** The instance's credentials, stolen before containment, create a backdoor user. */
  async function plantedWithInstanceCredentials() {
    const sim = new SimulatedAws();
    sim.seedMemberRole(MEMBER, 'lockdown-member', 'ext-1');
    sim.seed(MEMBER, 'iam', 'CreateRole', { RoleName: 'app-role', Path: '/', AssumeRolePolicyDocument: '{}' });
    sim.seed(MEMBER, 'iam', 'AttachRolePolicy', { RoleName: 'app-role', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
    uninstall = sim.install();
    const stolen = sim.issueSession(MEMBER, 'app-role', INSTANCE);
    await new IAMClient({ region: 'us-east-1', credentials: stolen }).send(new CreateUserCommand({ UserName: 'svc-backdoor' }));
    return sim;
  }

  /** The ledger record of the instance's containment: its credentials denied on the role it had then. */
  async function containedWithRole(ledger: InMemoryLedger, roleName: string) {
    const deny = roleInlinePolicy.step(
      {
        id: `deny-instance-credentials:${roleName}`,
        description: `Deny credentials of ${INSTANCE} on instance-profile role ${roleName}`,
        stage: 0,
        original: null,
        calls: { apply: ['iam:PutRolePolicy'], undo: ['iam:DeleteRolePolicy'] },
      },
      { roleName, policyName: `lockdown-deny-ec2-${INSTANCE}`, document: '{}' },
    );
    await ledger.create(
      {
        arn: ARN,
        entityType: 'ec2-instance',
        cycle: 1,
        status: 'contained',
        request: { requestId: 'req-1', requestedAt: message.requestedAt },
        original: { capturedAt: message.requestedAt, requestId: 'req-1', state: {} },
        steps: [{ ...deny, status: 'applied' }],
        timeline: [],
        updatedAt: message.requestedAt,
      },
      undefined,
    );
  }

  function sweepOf(credentialRoles: CredentialRoles, ledger = new InMemoryLedger()) {
    const members = new MemberAccounts({
      roleName: 'lockdown-member',
      externalId: 'ext-1',
      service: 'ec2-isolation',
      sts: new STSClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDSECURITY', secretAccessKey: 'x' } }),
    });
    return createSweep({
      service: 'ec2-isolation',
      settings: { lookbackHours: 24, maxPages: 10, regions: ['us-east-1', 'eu-west-1'], policy: {} },
      ...memberEventHistory(members),
      ledger,
      credentialRoles,
      now: () => new Date(Date.now() + 1000),
    });
  }

  it("finds the original role's sessions after a second principal replaced the instance profile", async () => {
    await plantedWithInstanceCredentials();
    const ledger = new InMemoryLedger();
    await containedWithRole(ledger, 'app-role');

    const result = await sweepOf(async () => ['replacement-role'], ledger)(message, { reported: [] });

    expect(result!.event!.sweep!.findings.map((f) => [f.eventName, f.entities])).toEqual([['CreateUser', ['iam-user svc-backdoor']]]);
    expect(result!.event!.detail).not.toMatch(/session name only/);
  });

  it("finds the recorded role's sessions of a terminated instance (its roles can no longer be read)", async () => {
    await plantedWithInstanceCredentials();
    const ledger = new InMemoryLedger();
    await containedWithRole(ledger, 'app-role');
    const gone = async () => {
      throw Object.assign(new Error(`The instance ID '${INSTANCE}' does not exist`), { name: 'InvalidInstanceID.NotFound' });
    };

    const result = await sweepOf(gone, ledger)(message, { reported: [] });

    expect(result!.event!.sweep!.findings.map((f) => f.eventName)).toEqual(['CreateUser']);
    expect(result!.event!.detail).toMatch(/its roles can no longer be read \(InvalidInstanceID.NotFound\)/);
    // Any other error reading them is not taken for "none": the sweep fails, and is retried.
    const refused = async () => {
      throw Object.assign(new Error('not authorized'), { name: 'UnauthorizedOperation' });
    };
    await expect(sweepOf(refused, ledger)(message, { reported: [] })).rejects.toThrow('not authorized');
  });

  it('with no role known at all (none recorded, none now), matches the session name alone and says so', async () => {
    await plantedWithInstanceCredentials();

    const result = await sweepOf(async () => [])(message, { reported: [] });

    expect(result!.event!.sweep!.findings.map((f) => f.eventName)).toEqual(['CreateUser']);
    expect(result!.event!.detail).toMatch(/no role known: matched by session name only/);
  });

  // A tick that finds nothing new says nothing, unless what it matched was less than the instance's roles.
  it('says so on a tick that found nothing new as well: a sweep that matched by name alone is never silent', async () => {
    await plantedWithInstanceCredentials();
    const sweep = sweepOf(async () => []);
    const tick = { ...message, watch: { tick: 1, since: message.requestedAt, dueAt: message.requestedAt } };

    const first = await sweep(tick, { reported: [] });
    const quiet = await sweep(tick, first!);

    expect(quiet!.event!.sweep!.findings).toEqual([]);
    expect(quiet!.event!.detail).toMatch(/found 0 new finding\(s\).*; no role known: matched by session name only/);
  });
});
