import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbLedger } from '@lockdown/aws';
import { type DispatchMessage, memberRolePolicy } from '@lockdown/contracts';
import {
  Ec2Fixtures,
  MEMBER_ACCOUNT,
  ServiceHarness,
  dispatchMessage,
  instanceView,
  lockdownGroupsIn,
  roleView,
  sqsEvent,
  sqsRecord,
} from '@lockdown/sandbox';
import { descriptor } from './descriptor';
import { createEc2IsolationHandler } from './handler';

// The member role as the stack deploys it: the shared statements and this service's own.
const harness = new ServiceHarness({ memberPolicy: (props) => memberRolePolicy(props, descriptor.memberStatements) });
const REGION = 'eu-west-1';
const sqs = mockClient(SQSClient);
let env: NodeJS.ProcessEnv;
let fx: Ec2Fixtures;

beforeAll(() => harness.start());
afterAll(async () => {
  sqs.restore();
  await harness.stop();
});
beforeEach(async () => {
  env = await harness.reset({
    QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/999999999999/lockdown-ec2-isolation',
    UNTRACKED_WINDOW_SECONDS: '60',
  });
  fx = new Ec2Fixtures(harness.sim, MEMBER_ACCOUNT, REGION);
  sqs.reset();
  sqs.on(SendMessageCommand).resolves({ MessageId: 'follow-up' });
});

const handler = (extra: Record<string, string> = {}) =>
  createEc2IsolationHandler({ ...env, ...extra }, { dynamodb: harness.dynamo.client });
const deliver = (message: DispatchMessage, extra: Record<string, string> = {}, receiveCount = 1) =>
  harness.invoke(handler(extra), sqsEvent(sqsRecord(message, receiveCount)));
/** The phase-2 message phase 1 scheduled, as SQS will deliver it after the delay. */
const followUps = () =>
  sqs
    .commandCalls(SendMessageCommand)
    .map((c) => ({ delay: c.args[0].input.DelaySeconds, message: JSON.parse(c.args[0].input.MessageBody!) as DispatchMessage }));
const view = (id: string, region = REGION) => instanceView(harness.sim, MEMBER_ACCOUNT, region, id);
const ledger = () => new DynamoDbLedger(env.LEDGER_TABLE_NAME!, harness.dynamo.client);

/** An instance with two interfaces in two VPCs and an instance profile shared with a healthy instance. */
function twoVpcInstance() {
  const a = fx.network();
  const b = fx.network();
  const { profileArn, roleName } = fx.profile('web');
  const instanceId = fx.instance(a, { profileArn });
  const secondEni = fx.attachInterface(instanceId, b, 1);
  const healthy = fx.instance(a, { profileArn });
  return { a, b, roleName, instanceId, secondEni, healthy, arn: fx.instanceArn(instanceId) };
}

const groupOf = (vpcId: string, name: string) => lockdownGroupsIn(harness.sim, MEMBER_ACCOUNT, REGION, vpcId).find((g) => g.name === name);
/** lockdown's own group of a kind under a name of its own (the base name was taken): `lockdown-<kind>-<8 random hex>`. */
const ownGroup = (vpcId: string, kind: string) => {
  const found = lockdownGroupsIn(harness.sim, MEMBER_ACCOUNT, REGION, vpcId).filter((g) =>
    new RegExp(`^lockdown-${kind}-[0-9a-f]{8}$`).test(g.name),
  );
  expect(found).toHaveLength(1);
  return found[0]!;
};
const denied = (roleName: string, instanceArn: string) =>
  harness.sim.principalDenied(MEMBER_ACCOUNT, 'role', roleName, { sourceInstanceArn: instanceArn });

describe('ec2-isolation: two phases', () => {
  it('denies the credentials, then untracks and isolates every interface in its own VPC, then releases exactly', async () => {
    const { a, b, roleName, instanceId, secondEni, healthy, arn } = twoVpcInstance();
    const before = view(instanceId);

    expect(await deliver(dispatchMessage(arn))).toEqual({ batchItemFailures: [] });

    // Phase 1: credentials first, then every interface moves to the untracked group of its own VPC.
    expect(await denied(roleName, arn)).toBe(true);
    expect(await denied(roleName, fx.instanceArn(healthy))).toBe(false);
    const phase1 = view(instanceId);
    const untrackedA = groupOf(a.vpcId, 'lockdown-untracked')!;
    const untrackedB = groupOf(b.vpcId, 'lockdown-untracked')!;
    expect(phase1.interfaces[secondEni]!.groups).toEqual([untrackedB.id]);
    expect(
      Object.values(phase1.interfaces)
        .map((i) => i.groups[0])
        .sort(),
    ).toEqual([untrackedA.id, untrackedB.id].sort());
    for (const eni of Object.values(phase1.interfaces))
      expect(eni.tracking).toEqual({ TcpEstablishedTimeout: 60, UdpStreamTimeout: 60, UdpTimeout: 30 });
    expect(phase1.terminationProtection).toBe(true);
    expect(harness.audits.map((x) => x.kind)).toEqual(['containing']);
    expect(followUps()).toEqual([{ delay: 60, message: expect.objectContaining({ phase: 2 }) }]);
    expect(harness.sim.mutatingCalls().some((c) => c.operation === 'ModifyInstanceAttribute' && c.input.Groups)).toBe(false);

    // Phase 2: the delayed follow-up isolates every interface.
    expect(await deliver(followUps()[0]!.message)).toEqual({ batchItemFailures: [] });
    const isolationA = groupOf(a.vpcId, 'lockdown-isolation')!;
    const isolationB = groupOf(b.vpcId, 'lockdown-isolation')!;
    expect(isolationA).toMatchObject({ ingress: 0, egress: 0, tags: { 'lockdown:managed': 'true', 'lockdown:group-kind': 'isolation' } });
    expect(view(instanceId).interfaces[secondEni]!.groups).toEqual([isolationB.id]);
    expect(
      Object.values(view(instanceId).interfaces)
        .map((i) => i.groups[0])
        .sort(),
    ).toEqual([isolationA.id, isolationB.id].sort());
    expect(harness.audits.map((x) => x.kind)).toEqual(['containing', 'contained']);

    await deliver(dispatchMessage(arn, { action: 'release' }));
    expect(view(instanceId)).toEqual(before);
    expect(await denied(roleName, arn)).toBe(false);
  });

  it('after phase 2, an interface moved back is re-isolated (never re-untracked) and read back', async () => {
    const { a, instanceId, secondEni, arn } = twoVpcInstance();
    const primary = Object.keys(view(instanceId).interfaces).find((id) => id !== secondEni)!;
    const original = view(instanceId).interfaces[primary]!.groups;
    await deliver(dispatchMessage(arn));
    // The attacker moves the primary interface back the moment phase 2 isolates it.
    let movedBack = false;
    harness.sim.afterCall = (call) => {
      if (movedBack || call.operation !== 'ModifyNetworkInterfaceAttribute' || call.input.NetworkInterfaceId !== primary) return;
      if (call.input.Groups?.[0] !== groupOf(a.vpcId, 'lockdown-isolation')?.id) return;
      movedBack = true;
      harness.sim.seed(MEMBER_ACCOUNT, 'ec2', 'ModifyNetworkInterfaceAttribute', { NetworkInterfaceId: primary, Groups: original }, REGION);
    };
    const mark = harness.sim.calls.length;

    expect(await deliver(followUps()[0]!.message)).toEqual({ batchItemFailures: [] });
    harness.sim.afterCall = undefined;

    expect(movedBack).toBe(true);
    expect(view(instanceId).interfaces[primary]!.groups).toEqual([groupOf(a.vpcId, 'lockdown-isolation')!.id]);
    const phase2 = harness.sim.calls.slice(mark);
    const moves = phase2.filter((c) => c.operation === 'ModifyNetworkInterfaceAttribute' && c.input.NetworkInterfaceId === primary);
    expect(moves.map((c) => c.input.Groups)).toEqual([
      [groupOf(a.vpcId, 'lockdown-isolation')!.id],
      [groupOf(a.vpcId, 'lockdown-isolation')!.id],
    ]);
    // Read back after the re-apply: a DescribeInstances follows the last move.
    expect(phase2.slice(phase2.indexOf(moves[1]!)).some((c) => c.operation === 'DescribeInstances')).toBe(true);
    expect(harness.audits.at(-1)).toMatchObject({ kind: 'contained' });
  });

  it('issues the phase-1 changes of all interfaces in parallel and the credential deny first', async () => {
    const { arn } = twoVpcInstance();
    harness.sim.latencyMs = (service) => (service === 'sts' ? 0 : 20);
    await deliver(dispatchMessage(arn));
    harness.sim.latencyMs = 0;
    const calls = harness.sim.mutatingCalls();
    const deny = calls.find((c) => c.operation === 'PutRolePolicy')!;
    const moves = calls.filter((c) => c.operation === 'ModifyNetworkInterfaceAttribute' && c.input.Groups);
    expect(moves).toHaveLength(2);
    // In parallel: each move was issued before the other one completed.
    expect(moves[1]!.startedAt).toBeLessThan(moves[0]!.at);
    expect(moves[0]!.startedAt).toBeLessThan(moves[1]!.at);
    expect(Math.min(...moves.map((m) => m.startedAt))).toBeGreaterThan(deny.at);
  });

  it('isolates at once and schedules nothing when the window is 0', async () => {
    const { a, instanceId, arn } = twoVpcInstance();
    await deliver(dispatchMessage(arn), { UNTRACKED_WINDOW_SECONDS: '0' });
    expect(followUps()).toEqual([]);
    expect(groupOf(a.vpcId, 'lockdown-untracked')).toBeUndefined();
    expect(
      Object.values(view(instanceId).interfaces).every(
        (i) => i.groups[0] === groupOf(a.vpcId, 'lockdown-isolation')?.id || i.groups[0]?.startsWith('sg-'),
      ),
    ).toBe(true);
    expect(harness.audits.map((x) => x.kind)).toEqual(['contained']);
  });

  it('makes phase 2 a no-op when the instance was released during the untracked window', async () => {
    const { instanceId, arn } = twoVpcInstance();
    const before = view(instanceId);
    const message = dispatchMessage(arn);
    await deliver(message);
    await deliver(dispatchMessage(arn, { action: 'release' }));
    expect(view(instanceId)).toEqual(before);

    await deliver(followUps()[0]!.message);
    expect(view(instanceId)).toEqual(before);
    expect(harness.audits.at(-1)).toMatchObject({ kind: 'noop' });
    expect(harness.audits.at(-1)!.body).toContain('released during the untracked window');
  });

  it('gives the same end state and one original when either phase is delivered twice', async () => {
    const { instanceId, arn } = twoVpcInstance();
    const message = dispatchMessage(arn);
    await Promise.all([deliver(message), deliver(message)]);
    await deliver(message);
    const followUp = followUps()[0]!.message;
    await Promise.all([deliver(followUp), deliver(followUp)]);
    const once = view(instanceId);
    await deliver(followUp);
    expect(view(instanceId)).toEqual(once);
    const record = await ledger().get(arn);
    expect(record).toMatchObject({ cycle: 1, status: 'contained' });
    expect(record!.original.requestId).toBe(message.requestId);
  });
});

describe('ec2-isolation: the tamper watch and an attacker on the profile role', () => {
  const deleteDeny = (roleName: string, instanceId: string) =>
    harness.sim.seed(MEMBER_ACCOUNT, 'iam', 'DeleteRolePolicy', { RoleName: roleName, PolicyName: `lockdown-deny-ec2-${instanceId}` });

  it('finds its credential deny removed from the instance-profile role at a watch tick, puts it back and reports TAMPERED', async () => {
    const { roleName, instanceId, arn } = twoVpcInstance();
    await deliver(dispatchMessage(arn), { UNTRACKED_WINDOW_SECONDS: '0', WATCH_SCHEDULE: '5' });
    const tick = followUps().find((f) => f.message.watch)!;
    deleteDeny(roleName, instanceId);
    expect(await denied(roleName, arn)).toBe(false);

    // The tick arrives in a fresh invocation, as SQS delivers it when due.
    await deliver({ ...tick.message, watch: { ...tick.message.watch!, dueAt: new Date().toISOString() } }, { WATCH_SCHEDULE: '5' });

    expect(await denied(roleName, arn)).toBe(true);
    expect(harness.audits.find((a) => a.kind === 'tampered')?.body).toContain(`Deny credentials of ${instanceId}`);
  });

  it('removes the guard mark at release also when someone else already deleted the deny', async () => {
    const { roleName, instanceId, arn } = twoVpcInstance();
    const before = roleView(harness.sim, MEMBER_ACCOUNT, roleName);
    await deliver(dispatchMessage(arn), { UNTRACKED_WINDOW_SECONDS: '0' });
    deleteDeny(roleName, instanceId);

    await deliver(dispatchMessage(arn, { action: 'release' }));

    expect(roleView(harness.sim, MEMBER_ACCOUNT, roleName)).toEqual(before);
  });
});

describe('ec2-isolation: security groups', () => {
  it('ends with exactly one group of each kind when two instances in one VPC are isolated at once', async () => {
    const net = fx.network();
    const first = fx.instance(net);
    const second = fx.instance(net);
    await Promise.all([deliver(dispatchMessage(fx.instanceArn(first))), deliver(dispatchMessage(fx.instanceArn(second)))]);
    await Promise.all(followUps().map((f) => deliver(f.message)));
    const groups = lockdownGroupsIn(harness.sim, MEMBER_ACCOUNT, REGION, net.vpcId);
    expect(groups.map((g) => g.name).sort()).toEqual(['lockdown-isolation', 'lockdown-untracked']);
    const isolation = groups.find((g) => g.name === 'lockdown-isolation')!;
    expect(Object.values(view(first).interfaces)[0]!.groups).toEqual([isolation.id]);
    expect(Object.values(view(second).interfaces)[0]!.groups).toEqual([isolation.id]);
  });

  /** A group with one of lockdown's names that lockdown did not create, open both ways (what an attacker who read the README makes first). */
  const impostorGroup = (vpcId: string, GroupName: string) => {
    const id = harness.sim.seed(
      MEMBER_ACCOUNT,
      'ec2',
      'CreateSecurityGroup',
      { VpcId: vpcId, GroupName, Description: 'x' },
      REGION,
    ).GroupId;
    harness.sim.seed(
      MEMBER_ACCOUNT,
      'ec2',
      'AuthorizeSecurityGroupIngress',
      { GroupId: id, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
      REGION,
    );
    return id as string;
  };

  it('isolates in its own group under a name of its own when the isolation name is taken by a group lockdown did not create, and never uses it', async () => {
    const net = fx.network();
    const impostor = impostorGroup(net.vpcId, 'lockdown-isolation');
    const { profileArn, roleName } = fx.profile('svc');
    const instanceId = fx.instance(net, { profileArn });
    const arn = fx.instanceArn(instanceId);
    const before = view(instanceId);

    await deliver(dispatchMessage(arn)); // a 60 s untracked window
    await Promise.all(followUps().map((f) => deliver(f.message)));

    const own = ownGroup(net.vpcId, 'isolation');
    expect(own).toMatchObject({ ingress: 0, egress: 0, tags: { 'lockdown:managed': 'true', 'lockdown:group-kind': 'isolation' } });
    expect(Object.values(view(instanceId).interfaces)[0]!.groups).toEqual([own.id]);
    expect(await denied(roleName, arn)).toBe(true);
    expect(harness.audits.map((a) => a.kind)).not.toContain('failed');
    expect(harness.audits.find((a) => a.kind === 'contained')!.body).toContain(`${impostor}`);
    expect(groupOf(net.vpcId, 'lockdown-isolation')).toMatchObject({ id: impostor, ingress: 1 }); // never used, never changed

    await deliver(dispatchMessage(arn, { action: 'release' }));
    expect(view(instanceId)).toEqual(before);
  });

  it('isolates even when the attacker squatted every name it could predict (the name after the first is random)', async () => {
    const net = fx.network();
    const squatted = ['', '-2', '-3', '-4', '-5'].map((suffix) => impostorGroup(net.vpcId, `lockdown-isolation${suffix}`));
    const instanceId = fx.instance(net);

    await deliver(dispatchMessage(fx.instanceArn(instanceId)), { UNTRACKED_WINDOW_SECONDS: '0' });

    const own = ownGroup(net.vpcId, 'isolation');
    expect(Object.values(view(instanceId).interfaces)[0]!.groups).toEqual([own.id]);
    expect(squatted).not.toContain(own.id);
    expect(harness.audits.map((a) => a.kind)).toEqual(['contained']);
  });

  it('finds its own groups by their tags on the next isolation in the VPC, whatever their names', async () => {
    const net = fx.network();
    impostorGroup(net.vpcId, 'lockdown-untracked');
    impostorGroup(net.vpcId, 'lockdown-isolation');
    const first = fx.instance(net);
    const second = fx.instance(net);

    await deliver(dispatchMessage(fx.instanceArn(first)), { UNTRACKED_WINDOW_SECONDS: '0' });
    await deliver(dispatchMessage(fx.instanceArn(second)), { UNTRACKED_WINDOW_SECONDS: '0' });

    const names = lockdownGroupsIn(harness.sim, MEMBER_ACCOUNT, REGION, net.vpcId).map((g) => g.name);
    const own = ownGroup(net.vpcId, 'isolation');
    expect(names.sort()).toEqual(['lockdown-isolation', own.name, 'lockdown-untracked'].sort());
    expect(Object.values(view(first).interfaces)[0]!.groups).toEqual([own.id]);
    expect(Object.values(view(second).interfaces)[0]!.groups).toEqual([own.id]);
  });

  it('uses its own untracked group under a name of its own when the untracked name is taken, and never the impostor', async () => {
    const net = fx.network();
    const impostor = impostorGroup(net.vpcId, 'lockdown-untracked');
    const instanceId = fx.instance(net);
    const arn = fx.instanceArn(instanceId);

    await deliver(dispatchMessage(arn));

    const untracked = ownGroup(net.vpcId, 'untracked');
    expect(untracked.tags).toMatchObject({ 'lockdown:managed': 'true', 'lockdown:group-kind': 'untracked' });
    expect(Object.values(view(instanceId).interfaces)[0]!.groups).toEqual([untracked.id]);
    expect(harness.audits[0]!.body).toContain(`${impostor}`);
    expect(harness.audits[0]!.body).toContain('not created by lockdown');
    await Promise.all(followUps().map((f) => deliver(f.message)));
    expect(Object.values(view(instanceId).interfaces)[0]!.groups).toEqual([groupOf(net.vpcId, 'lockdown-isolation')!.id]);
    expect(groupOf(net.vpcId, 'lockdown-untracked')).toMatchObject({ id: impostor, ingress: 1 }); // never used, never changed
  });

  it('isolates the network when the instance-profile role is too full for the credential deny, and says the deny does not hold', async () => {
    const net = fx.network();
    const { profileArn, roleName } = fx.profile('svc');
    const pad = (PolicyName: string) =>
      harness.sim.seed(MEMBER_ACCOUNT, 'iam', 'PutRolePolicy', {
        RoleName: roleName,
        PolicyName,
        PolicyDocument: JSON.stringify({
          Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'p'.repeat(5000)}/*` }],
        }),
      });
    pad('pad1');
    pad('pad2');
    const instanceId = fx.instance(net, { profileArn });
    const arn = fx.instanceArn(instanceId);

    await deliver(dispatchMessage(arn));

    expect(Object.values(view(instanceId).interfaces)[0]!.groups).toEqual([groupOf(net.vpcId, 'lockdown-untracked')!.id]);
    expect(await denied(roleName, arn)).toBe(false);
    const failed = harness.audits.find((a) => a.kind === 'failed')!;
    expect(failed.body).toContain('Reason code: limit-exceeded');
    expect(failed.body).toMatch(/could not apply step "deny-instance-credentials:[^"]+".*LimitExceeded/);
    // Phase 2 still comes: the interface does not stay in the allow-all group.
    expect(followUps()).toHaveLength(1);
    await deliver(followUps()[0]!.message);
    expect(Object.values(view(instanceId).interfaces)[0]!.groups).toEqual([groupOf(net.vpcId, 'lockdown-isolation')!.id]);
  });

  it('fixes the rules of its own group when they drifted', async () => {
    const net = fx.network();
    const ours = harness.sim.seed(
      MEMBER_ACCOUNT,
      'ec2',
      'CreateSecurityGroup',
      {
        VpcId: net.vpcId,
        GroupName: 'lockdown-isolation',
        Description: 'x',
        TagSpecifications: [
          {
            ResourceType: 'security-group',
            Tags: [
              { Key: 'lockdown:managed', Value: 'true' },
              { Key: 'lockdown:group-kind', Value: 'isolation' },
            ],
          },
        ],
      },
      REGION,
    ).GroupId;
    harness.sim.seed(
      MEMBER_ACCOUNT,
      'ec2',
      'AuthorizeSecurityGroupIngress',
      { GroupId: ours, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
      REGION,
    );
    const instanceId = fx.instance(net);

    await deliver(dispatchMessage(fx.instanceArn(instanceId)), { UNTRACKED_WINDOW_SECONDS: '0' });

    expect(groupOf(net.vpcId, 'lockdown-isolation')).toMatchObject({ id: ours, ingress: 0, egress: 0 });
    expect(Object.values(view(instanceId).interfaces)[0]!.groups).toEqual([ours]);
  });
});

describe('ec2-isolation: edge cases', () => {
  it('fails with not-found for an instance that does not exist, changing nothing', async () => {
    await deliver(dispatchMessage(`arn:aws:ec2:${REGION}:${MEMBER_ACCOUNT}:instance/i-0123456789abcdef0`));
    expect(harness.sim.mutatingCalls()).toEqual([]);
    expect(harness.audits[0]!.body).toContain('Reason code: not-found');
  });

  it('refuses a terminated instance with a clear reason', async () => {
    const instanceId = fx.instance(fx.network());
    harness.sim.seed(MEMBER_ACCOUNT, 'ec2', 'TerminateInstances', { InstanceIds: [instanceId] }, REGION);
    await deliver(dispatchMessage(fx.instanceArn(instanceId)));
    expect(harness.sim.mutatingCalls()).toEqual([]);
    expect(harness.audits[0]!.body).toContain('Reason code: instance-terminated');
  });

  it('isolates a stopped instance at once: no untracked window, no follow-up', async () => {
    const net = fx.network();
    const instanceId = fx.instance(net);
    harness.sim.seed(MEMBER_ACCOUNT, 'ec2', 'StopInstances', { InstanceIds: [instanceId] }, REGION);

    expect(await deliver(dispatchMessage(fx.instanceArn(instanceId)))).toEqual({ batchItemFailures: [] });

    const isolation = groupOf(net.vpcId, 'lockdown-isolation')!;
    expect(Object.values(view(instanceId).interfaces).map((i) => i.groups)).toEqual([[isolation.id]]);
    expect(groupOf(net.vpcId, 'lockdown-untracked')).toBeUndefined();
    expect(followUps()).toEqual([]);
    expect(harness.audits[0]).toMatchObject({ kind: 'contained' });
  });

  it('isolates a stopped instance without an instance profile, and says so', async () => {
    const instanceId = fx.instance(fx.network());
    harness.sim.seed(MEMBER_ACCOUNT, 'ec2', 'StopInstances', { InstanceIds: [instanceId] }, REGION);
    await deliver(dispatchMessage(fx.instanceArn(instanceId)), { UNTRACKED_WINDOW_SECONDS: '0' });
    expect(harness.audits[0]).toMatchObject({ kind: 'contained' });
    expect(harness.audits[0]!.body).toContain('no instance profile');
    expect(harness.audits[0]!.body).toContain('the instance is stopped');
  });

  it('leaves an interface managed by another service alone, with a note', async () => {
    const net = fx.network();
    const instanceId = fx.instance(net);
    const managed = fx.attachInterface(instanceId, net, 1);
    harness.sim.account(MEMBER_ACCOUNT).ec2.get(REGION)!.interfaces.get(managed)!.managedBy = 'elasticloadbalancing.amazonaws.com';
    const groupsBefore = view(instanceId).interfaces[managed]!.groups;
    await deliver(dispatchMessage(fx.instanceArn(instanceId)), { UNTRACKED_WINDOW_SECONDS: '0' });
    expect(view(instanceId).interfaces[managed]!.groups).toEqual(groupsBefore);
    expect(harness.audits[0]!.body).toContain(`interface ${managed} is managed by elasticloadbalancing.amazonaws.com and was left alone`);
  });

  it('isolates an instance in another region than the service', async () => {
    const other = new Ec2Fixtures(harness.sim, MEMBER_ACCOUNT, 'ap-southeast-2');
    const instanceId = other.instance(other.network());
    await deliver(dispatchMessage(other.instanceArn(instanceId)), { UNTRACKED_WINDOW_SECONDS: '0' });
    expect(view(instanceId, 'ap-southeast-2').terminationProtection).toBe(true);
    expect(new Set(harness.sim.calls.filter((c) => c.service === 'ec2').map((c) => c.region))).toEqual(new Set(['ap-southeast-2']));
  });

  it('names the call the member role is not allowed to make', async () => {
    const instanceId = fx.instance(fx.network());
    harness.sim.inject({ operation: 'ModifyNetworkInterfaceAttribute', fault: 'access-denied' });
    await deliver(dispatchMessage(fx.instanceArn(instanceId)));
    expect(harness.audits[0]).toMatchObject({ kind: 'failed' });
    expect(harness.audits[0]!.body).toContain('not authorized to perform: ec2:ModifyNetworkInterfaceAttribute');
    expect(harness.audits[0]!.body).toContain('Reason code: access-denied');
  });

  it('detaches the instance from its Auto Scaling group without lowering the capacity, and re-attaches it on release', async () => {
    const instanceId = fx.instance(fx.network());
    harness.sim.seed(
      MEMBER_ACCOUNT,
      'autoscaling',
      'CreateAutoScalingGroup',
      { AutoScalingGroupName: 'web-asg', InstanceId: instanceId },
      REGION,
    );
    const group = () => harness.sim.account(MEMBER_ACCOUNT).ec2.get(REGION)!.autoScalingGroups.get('web-asg')!;
    const options = { UNTRACKED_WINDOW_SECONDS: '0', DETACH_AUTO_SCALING: 'true' };

    await deliver(dispatchMessage(fx.instanceArn(instanceId)), options);
    expect(group()).toMatchObject({ instances: [], desired: 1 });
    expect(view(instanceId).state).toBe('running');
    expect(harness.sim.mutatingCalls().find((c) => c.operation === 'DetachInstances')!.input.ShouldDecrementDesiredCapacity).toBe(false);

    await deliver(dispatchMessage(fx.instanceArn(instanceId), { action: 'release' }), options);
    expect(group().instances).toEqual([instanceId]);
  });

  it('leaves Auto Scaling alone when the option is off', async () => {
    const instanceId = fx.instance(fx.network());
    harness.sim.seed(
      MEMBER_ACCOUNT,
      'autoscaling',
      'CreateAutoScalingGroup',
      { AutoScalingGroupName: 'web-asg', InstanceId: instanceId },
      REGION,
    );
    await deliver(dispatchMessage(fx.instanceArn(instanceId)), { UNTRACKED_WINDOW_SECONDS: '0' });
    expect(harness.sim.calls.filter((c) => c.service === 'autoscaling')).toEqual([]);
  });

  it('deregisters the instance from every target group it serves, and registers it back on release', async () => {
    const net = fx.network();
    const instanceId = fx.instance(net);
    const other = fx.instance(net);
    const elb = (operation: string, input: object) => harness.sim.seed(MEMBER_ACCOUNT, 'elasticloadbalancing', operation, input, REGION);
    const web = elb('CreateTargetGroup', { Name: 'web' }).TargetGroups[0].TargetGroupArn;
    const api = elb('CreateTargetGroup', { Name: 'api' }).TargetGroups[0].TargetGroupArn;
    elb('RegisterTargets', {
      TargetGroupArn: web,
      Targets: [
        { Id: instanceId, Port: 80 },
        { Id: other, Port: 80 },
      ],
    });
    elb('RegisterTargets', { TargetGroupArn: api, Targets: [{ Id: instanceId, Port: 8443 }] });
    const targets = (arn: string) => harness.sim.account(MEMBER_ACCOUNT).ec2.get(REGION)!.targetGroups.get(arn)!.targets;
    const options = { UNTRACKED_WINDOW_SECONDS: '0', DEREGISTER_TARGETS: 'true' };

    await deliver(dispatchMessage(fx.instanceArn(instanceId)), options);
    expect(targets(web)).toEqual([{ id: other, port: 80 }]);
    expect(targets(api)).toEqual([]);

    await deliver(dispatchMessage(fx.instanceArn(instanceId), { action: 'release' }), options);
    expect(targets(web)).toEqual(
      expect.arrayContaining([
        { id: instanceId, port: 80 },
        { id: other, port: 80 },
      ]),
    );
    expect(targets(api)).toEqual([{ id: instanceId, port: 8443 }]);
  });

  it('snapshots every volume when asked, and keeps the snapshots on release', async () => {
    const instanceId = fx.instance(fx.network());
    await deliver(dispatchMessage(fx.instanceArn(instanceId)), { UNTRACKED_WINDOW_SECONDS: '0', SNAPSHOT_VOLUMES: 'true' });
    await deliver(dispatchMessage(fx.instanceArn(instanceId), { action: 'release' }), {
      UNTRACKED_WINDOW_SECONDS: '0',
      SNAPSHOT_VOLUMES: 'true',
    });
    const snapshots = [...harness.sim.account(MEMBER_ACCOUNT).ec2.get(REGION)!.snapshots.values()];
    expect(snapshots).toHaveLength(1);
    expect(Object.fromEntries(snapshots[0]!.tags)).toMatchObject({ 'lockdown:evidence-of': instanceId });
  });
});

describe('ec2-isolation: no sleeping', () => {
  it('never waits out the untracked window inside the function: phase 2 is a delayed SQS message', async () => {
    const { arn } = twoVpcInstance();
    const timers = jest.spyOn(global, 'setTimeout');
    await deliver(dispatchMessage(arn));
    await deliver(followUps()[0]!.message);
    const longest = Math.max(0, ...timers.mock.calls.map((call) => Number(call[1] ?? 0)));
    timers.mockRestore();
    // The only timers are the SDK's own short ones (e.g. its 3 s socket-acquisition warning).
    expect(longest).toBeLessThan(10_000);
    expect(followUps()[0]!.delay).toBe(60);
  });

  it('has no sleeping call anywhere in the service code', () => {
    const { readdirSync, readFileSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
    const { join } = jest.requireActual<typeof import('node:path')>('node:path');
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [join(dir, e.name)] : [],
      );
    const offenders = sources(__dirname).filter((file) =>
      /setTimeout|setInterval|timers\/promises|\bsleep\(|Atomics\.wait/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
