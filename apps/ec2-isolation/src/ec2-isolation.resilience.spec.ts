import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { DynamoDbLedger } from '@lockdown/aws';
import { type DispatchMessage, memberRolePolicy } from '@lockdown/contracts';
import {
  Ec2Fixtures,
  FAULT_NAMES,
  MEMBER_ACCOUNT,
  ServiceHarness,
  TRANSIENT_FAULTS,
  deliverUntilSettled,
  dispatchMessage,
  instanceView,
  roleView,
  sqsEvent,
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
beforeEach(() => reset());

async function reset(window = '60') {
  env = await harness.reset({
    QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/999999999999/lockdown-ec2-isolation',
    UNTRACKED_WINDOW_SECONDS: window,
  });
  fx = new Ec2Fixtures(harness.sim, MEMBER_ACCOUNT, REGION);
  sqs.reset();
  sqs.on(SendMessageCommand).resolves({});
}

const invoke = (event: ReturnType<typeof sqsEvent>) =>
  harness.invoke(createEc2IsolationHandler(env, { dynamodb: harness.dynamo.client }), event);
const followUps = () => sqs.commandCalls(SendMessageCommand).map((c) => JSON.parse(c.args[0].input.MessageBody!) as DispatchMessage);

/** Both phases, each delivered until it settles; phase 2 is the follow-up phase 1 scheduled. */
async function isolate(message: DispatchMessage) {
  const phase1 = await deliverUntilSettled(invoke, message);
  if (phase1.outcome !== 'done') return { phase1 };
  const phase2 = followUps().length > 0 ? await deliverUntilSettled(invoke, followUps().at(-1)!) : undefined;
  return { phase1, phase2 };
}

function seed() {
  const a = fx.network();
  const b = fx.network();
  const { profileArn, roleName } = fx.profile('web');
  const id = fx.instance(a, { profileArn });
  fx.attachInterface(id, b, 1);
  return { id, arn: fx.instanceArn(id), roleName };
}

const groupName = (id: string) => harness.sim.account(MEMBER_ACCOUNT).ec2.get(REGION)!.securityGroups.get(id)!.name;
const view = (s: { id: string; roleName?: string }) => ({
  instance: instanceView(harness.sim, MEMBER_ACCOUNT, REGION, s.id),
  role: s.roleName ? roleView(harness.sim, MEMBER_ACCOUNT, s.roleName) : null,
});
const shape = (v: ReturnType<typeof view>) => ({
  interfaces: Object.values(v.instance.interfaces).map((i) => ({ groups: i.groups.map(groupName), tracking: i.tracking })),
  protection: v.instance.terminationProtection,
  tags: Object.keys(v.instance.tags),
  inline: v.role ? Object.keys(v.role.inline).map((name) => name.replace(/i-[0-9a-f]+$/, 'i-<instance>')) : [],
});

describe('fault matrix: EC2 instance (both phases)', () => {
  let faultFree: ReturnType<typeof shape>;
  beforeAll(async () => {
    await reset();
    const s = seed();
    await isolate(dispatchMessage(s.arn));
    faultFree = shape(view(s));
  });

  const operations = [
    'PutRolePolicy',
    'ModifyNetworkInterfaceAttribute',
    'ModifyInstanceAttribute',
    'CreateTags',
    'CreateSecurityGroup',
    'AuthorizeSecurityGroupIngress',
    'AuthorizeSecurityGroupEgress',
    'RevokeSecurityGroupEgress',
  ];
  const matrix = operations.flatMap((op) => FAULT_NAMES.map((fault) => [op, fault] as const));
  it.each(matrix)(
    '%s failing with %s ends isolated or dead-lettered with the step named, then converges',
    async (operation, fault) => {
      const s = seed();
      const before = view(s);
      harness.sim.inject({ operation, fault, ...(TRANSIENT_FAULTS.has(fault) ? { times: 1 } : {}) });
      const message = dispatchMessage(s.arn);
      const first = await isolate(message);
      if (TRANSIENT_FAULTS.has(fault)) {
        const attempts = [first.phase1.attempts, first.phase2?.attempts].reduce((a, b) => (a ?? 0) + (b ?? 0), 0);
        // A throttling answer empties the shared bucket: an attempt after it may find the refill too slow and come back once more.
        if (fault === 'throttling') expect([3, 4]).toContain(attempts);
        else expect(attempts).toBe(3);
        expect(first.phase2?.outcome).toBe('done');
      } else {
        // The call fails in phase 1, or (creating the isolation group) in phase 2.
        const deadPhase = first.phase1.outcome === 'dead-letter' ? 1 : 2;
        expect(deadPhase === 1 || first.phase2?.outcome === 'dead-letter').toBe(true);
        const failures = harness.audits.filter((a) => a.kind === 'failed');
        expect(failures[0]!.body).toMatch(new RegExp(`step "[\\w:-]+" .*not authorized to perform: (iam|ec2):${operation}`));
        expect(failures.at(-1)!.body).toContain('moved to the dead-letter queue');
        expect((await new DynamoDbLedger(env.LEDGER_TABLE_NAME!, harness.dynamo.client).get(s.arn))!.status).toBe('failed');
        harness.sim.clearFaults();
        if (deadPhase === 1) expect(await isolate(message)).toMatchObject({ phase1: { outcome: 'done' }, phase2: { outcome: 'done' } });
        else expect(await deliverUntilSettled(invoke, followUps().at(-1)!)).toMatchObject({ outcome: 'done' });
      }
      expect(shape(view(s))).toEqual(faultFree);
      await deliverUntilSettled(invoke, dispatchMessage(s.arn, { action: 'release' }));
      expect(view(s)).toEqual(before);
    },
    20_000,
  );
});

describe('duplicates: EC2, both phases', () => {
  it('each phase delivered twice, in sequence and concurrently, gives one original and the same end state', async () => {
    const s = seed();
    const before = view(s);
    const message = dispatchMessage(s.arn);
    await Promise.all([deliverUntilSettled(invoke, message), deliverUntilSettled(invoke, message)]);
    await deliverUntilSettled(invoke, message);
    const followUp = followUps()[0]!;
    await Promise.all([deliverUntilSettled(invoke, followUp), deliverUntilSettled(invoke, followUp)]);
    const once = view(s);
    await deliverUntilSettled(invoke, followUp);
    expect(view(s)).toEqual(once);
    expect(await new DynamoDbLedger(env.LEDGER_TABLE_NAME!, harness.dynamo.client).get(s.arn)).toMatchObject({
      cycle: 1,
      status: 'contained',
      original: { requestId: message.requestId },
    });
    await deliverUntilSettled(invoke, dispatchMessage(s.arn, { action: 'release' }));
    expect(view(s)).toEqual(before);
  });
});

describe('release fidelity: EC2 (property-based)', () => {
  const tracking = fc.record({
    TcpEstablishedTimeout: fc.integer({ min: 60, max: 432000 }),
    UdpStreamTimeout: fc.integer({ min: 60, max: 180 }),
    UdpTimeout: fc.integer({ min: 30, max: 60 }),
  });
  const start = fc.record({
    interfaces: fc.array(fc.record({ vpc: fc.integer({ min: 0, max: 1 }), tracking: fc.option(tracking, { nil: undefined }) }), {
      minLength: 1,
      maxLength: 3,
    }),
    protection: fc.boolean(),
    profile: fc.boolean(),
    window: fc.constantFrom('0', '60'),
    tag: fc.option(fc.string({ minLength: 1, maxLength: 6 }), { nil: undefined }),
  });

  it('contain then release returns every interface, the instance and its profile role to the starting state', async () => {
    await fc.assert(
      fc.asyncProperty(start, async (st) => {
        await reset(st.window);
        const nets = [fx.network(), fx.network()];
        const profile = st.profile ? fx.profile('p') : undefined;
        const id = fx.instance(nets[st.interfaces[0]!.vpc]!, profile ? { profileArn: profile.profileArn } : {});
        st.interfaces.slice(1).forEach((eni, i) => fx.attachInterface(id, nets[eni.vpc]!, i + 1));
        const region = harness.sim.account(MEMBER_ACCOUNT).ec2.get(REGION)!;
        const enis = [...region.interfaces.values()]
          .filter((e) => e.attachment?.instanceId === id)
          .sort((a, b) => a.attachment!.deviceIndex - b.attachment!.deviceIndex);
        enis.forEach((e, i) => {
          const t = st.interfaces[i]!.tracking;
          if (t) e.tracking = { ...t };
        });
        const instance = region.instances.get(id)!;
        instance.terminationProtection = st.protection;
        if (st.tag) instance.tags.set('lockdown:containment', st.tag);
        const s = { id, ...(profile ? { roleName: profile.roleName } : {}) };
        const before = view(s);

        const result = await isolate(dispatchMessage(fx.instanceArn(id)));
        expect(result.phase1.outcome).toBe('done');
        expect(await deliverUntilSettled(invoke, dispatchMessage(fx.instanceArn(id), { action: 'release' }))).toMatchObject({
          outcome: 'done',
        });
        expect(view(s)).toEqual(before);
      }),
      { numRuns: 30 },
    );
  }, 60_000); // many runs through the real SDK stack and iam-simulate
});

describe('fault matrix: EC2 options (Auto Scaling detach, load-balancer deregistration)', () => {
  const withOptions = async () => {
    env = {
      ...(await harness.reset({
        QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/999999999999/lockdown-ec2-isolation',
        UNTRACKED_WINDOW_SECONDS: '0',
      })),
      DETACH_AUTO_SCALING: 'true',
      DEREGISTER_TARGETS: 'true',
    };
    fx = new Ec2Fixtures(harness.sim, MEMBER_ACCOUNT, REGION);
    const id = fx.instance(fx.network());
    harness.sim.seed(MEMBER_ACCOUNT, 'autoscaling', 'CreateAutoScalingGroup', { AutoScalingGroupName: 'asg', InstanceId: id }, REGION);
    const tg = harness.sim.seed(MEMBER_ACCOUNT, 'elasticloadbalancing', 'CreateTargetGroup', { Name: 'web' }, REGION).TargetGroups[0]
      .TargetGroupArn;
    harness.sim.seed(
      MEMBER_ACCOUNT,
      'elasticloadbalancing',
      'RegisterTargets',
      { TargetGroupArn: tg, Targets: [{ Id: id, Port: 80 }] },
      REGION,
    );
    const region = () => harness.sim.account(MEMBER_ACCOUNT).ec2.get(REGION)!;
    return {
      id,
      arn: fx.instanceArn(id),
      members: () => ({
        asg: [...region().autoScalingGroups.get('asg')!.instances],
        targets: region()
          .targetGroups.get(tg)!
          .targets.map((t) => t.port),
      }),
    };
  };

  const matrix = ['DetachInstances', 'DeregisterTargets'].flatMap((op) => FAULT_NAMES.map((fault) => [op, fault] as const));
  it.each(matrix)('%s failing with %s ends contained or dead-lettered with the step named, then converges', async (operation, fault) => {
    const s = await withOptions();
    const before = s.members();
    harness.sim.inject({ operation, fault, ...(TRANSIENT_FAULTS.has(fault) ? { times: 1 } : {}) });
    const message = dispatchMessage(s.arn);
    const settled = await deliverUntilSettled(invoke, message);
    if (TRANSIENT_FAULTS.has(fault)) expect(settled).toEqual({ attempts: 2, outcome: 'done' });
    else {
      expect(settled.outcome).toBe('dead-letter');
      expect(harness.audits.find((a) => a.kind === 'failed')!.body).toMatch(
        new RegExp(`not authorized to perform: (autoscaling|elasticloadbalancing):${operation}`),
      );
      harness.sim.clearFaults();
      expect(await deliverUntilSettled(invoke, message)).toMatchObject({ outcome: 'done' });
    }
    expect(s.members()).toEqual({ asg: [], targets: [] });
    await deliverUntilSettled(invoke, dispatchMessage(s.arn, { action: 'release' }));
    expect(s.members()).toEqual(before);
  });
});
