import { ObservedInstance, ObservedInterface } from './observed';
import { PHASE_2_STAGE, ec2ContainmentGaps, ec2Notes, planEc2Isolation } from './plan';

const eni = (id: string, vpcId: string, overrides: Partial<ObservedInterface> = {}): ObservedInterface => ({
  id,
  vpcId,
  groups: [`sg-${id}`],
  tracking: { TcpEstablishedTimeout: 432000, UdpStreamTimeout: 180, UdpTimeout: 30 },
  deviceIndex: 0,
  tags: {},
  ...overrides,
});
const instance = (overrides: Partial<ObservedInstance> = {}): ObservedInstance => ({
  instanceId: 'i-1',
  arn: 'arn:aws:ec2:eu-west-1:111111111111:instance/i-1',
  state: 'running',
  profileRoles: ['web'],
  terminationProtection: false,
  tags: {},
  interfaces: [eni('eni-a', 'vpc-1')],
  volumes: ['vol-1'],
  lockdownGroups: {},
  impostorGroups: {},
  ...overrides,
});
const options = {
  requestId: 'req-1',
  untrackedWindowSeconds: 60,
  snapshotVolumes: false,
  detachAutoScaling: false,
  deregisterTargets: false,
};
const ids = (observed: ObservedInstance, extra: Partial<typeof options> = {}) =>
  planEc2Isolation(observed, { ...options, ...extra }).map((s) => `${s.stage} ${s.id}`);

describe('planEc2Isolation with a group lockdown did not create under one of its names', () => {
  const two = () => instance({ interfaces: [eni('eni-a', 'vpc-1'), eni('eni-b', 'vpc-2', { deviceIndex: 1 })] });
  const network = (observed: ObservedInstance) =>
    planEc2Isolation(observed, options)
      .filter((s) => s.kind === 'eni-groups')
      .map((s) => `${s.stage} ${s.id}`);

  it.each(['untracked', 'isolation'] as const)(
    'plans as if it were not there when the %s name is taken, and names it in the audit',
    (kind) => {
      const observed = { ...two(), impostorGroups: { 'vpc-1': [{ kind, id: 'sg-x' }] } };
      expect(network(observed)).toEqual(network(two()));
      expect(network(observed)).toEqual([
        '1 untracked:eni-a',
        `${PHASE_2_STAGE} isolate:eni-a`,
        '1 untracked:eni-b',
        `${PHASE_2_STAGE} isolate:eni-b`,
      ]);
      expect(ec2Notes(observed).join(' ')).toContain("security group sg-x in vpc-1 carries lockdown's " + kind);
    },
  );

  it("says nothing of lockdown's own groups", () => {
    const observed = { ...two(), lockdownGroups: { 'vpc-1': { isolation: { id: 'sg-o', ours: true, rulesExact: false } } } };
    expect(ec2Notes(observed)).toEqual([]);
  });
});

describe('planEc2Isolation', () => {
  it.each([
    [
      'a running instance: credentials first, then untracked, isolation after the window',
      instance(),
      {},
      [
        '0 deny-instance-credentials:web',
        '1 tracking:eni-a',
        '1 untracked:eni-a',
        `${PHASE_2_STAGE} isolate:eni-a`,
        '1 termination-protection',
        '1 tag',
        '1 interface-tag:eni-a',
        '1 guard-role:web',
      ],
    ],
    [
      'a window of 0: isolated at once',
      instance(),
      { untrackedWindowSeconds: 0 },
      [
        '0 deny-instance-credentials:web',
        '1 tracking:eni-a',
        '1 isolate:eni-a',
        '1 termination-protection',
        '1 tag',
        '1 interface-tag:eni-a',
        '1 guard-role:web',
      ],
    ],
    [
      'a stopped instance: isolated at once, whatever the window',
      instance({ state: 'stopped' }),
      {},
      [
        '0 deny-instance-credentials:web',
        '1 tracking:eni-a',
        '1 isolate:eni-a',
        '1 termination-protection',
        '1 tag',
        '1 interface-tag:eni-a',
        '1 guard-role:web',
      ],
    ],
    [
      'two interfaces in two VPCs, one already at minimum tracking, protection already on, no profile',
      instance({
        profileRoles: [],
        terminationProtection: true,
        interfaces: [
          eni('eni-a', 'vpc-1'),
          eni('eni-b', 'vpc-2', { tracking: { TcpEstablishedTimeout: 60, UdpStreamTimeout: 60, UdpTimeout: 30 } }),
        ],
      }),
      { untrackedWindowSeconds: 0 },
      ['1 tracking:eni-a', '1 isolate:eni-a', '1 isolate:eni-b', '1 tag', '1 interface-tag:eni-a', '1 interface-tag:eni-b'],
    ],
    [
      'an interface managed by another service is left alone',
      instance({ interfaces: [eni('eni-a', 'vpc-1'), eni('eni-lb', 'vpc-1', { managedBy: 'elasticloadbalancing.amazonaws.com' })] }),
      { untrackedWindowSeconds: 0 },
      [
        '0 deny-instance-credentials:web',
        '1 tracking:eni-a',
        '1 isolate:eni-a',
        '1 termination-protection',
        '1 tag',
        '1 interface-tag:eni-a',
        '1 guard-role:web',
      ],
    ],
    [
      'the options: snapshots, Auto Scaling detach, target deregistration',
      instance({
        autoScalingGroup: 'asg',
        targetRegistrations: [{ targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/web/1', port: 443 }],
      }),
      { untrackedWindowSeconds: 0, snapshotVolumes: true, detachAutoScaling: true, deregisterTargets: true },
      [
        '0 deny-instance-credentials:web',
        '1 tracking:eni-a',
        '1 isolate:eni-a',
        '1 termination-protection',
        '1 tag',
        '1 interface-tag:eni-a',
        '1 guard-role:web',
        '1 detach-auto-scaling',
        '1 deregister:arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/web/1:443',
        '1 snapshot:vol-1',
      ],
    ],
  ])('%s', (_name, observed, extra, expected) => {
    expect(ids(observed, extra)).toEqual(expected);
  });

  it('tags the interfaces it moves, not the ones another service manages', () => {
    const steps = planEc2Isolation(
      instance({ interfaces: [eni('eni-a', 'vpc-1'), eni('eni-lb', 'vpc-1', { managedBy: 'elasticloadbalancing.amazonaws.com' })] }),
      options,
    );
    expect(steps.filter((s) => s.kind === 'interface-tag').map((s) => s.params)).toEqual([
      { interfaceId: 'eni-a', key: 'lockdown:containment', value: 'req-1' },
    ]);
  });

  it('tags each interface in its own step: a release that finds one interface deleted still untags the others', () => {
    const steps = planEc2Isolation(instance({ interfaces: [eni('eni-a', 'vpc-1'), eni('eni-b', 'vpc-2')] }), options);
    expect(steps.filter((s) => s.kind === 'interface-tag').map((s) => `${s.stage} ${s.id}`)).toEqual([
      '1 interface-tag:eni-a',
      '1 interface-tag:eni-b',
    ]);
  });

  it('records what each interface had, and lets the isolation step supersede the untracked one', () => {
    const steps = planEc2Isolation(instance(), options);
    expect(steps.find((s) => s.id === 'untracked:eni-a')).toMatchObject({ original: ['sg-eni-a'], undoneBy: 'isolate:eni-a' });
    expect(steps.find((s) => s.id === 'isolate:eni-a')).toMatchObject({ original: ['sg-eni-a'] });
  });

  it.each(['terminated', 'shutting-down'])('refuses a %s instance with a clear reason', (state) => {
    expect(() => planEc2Isolation(instance({ state }), options)).toThrow(
      expect.objectContaining({ failure: { retryable: false, code: 'instance-terminated' } }),
    );
  });
});

describe('ec2ContainmentGaps and ec2Notes', () => {
  it('is contained when every profile role carries the deny', () => {
    expect(ec2ContainmentGaps(instance({ denyOnRoles: { web: true } }))).toEqual([]);
    expect(ec2ContainmentGaps(instance({ denyOnRoles: { web: false } }))).toEqual(['the credential deny is missing from role web']);
  });

  it('says what a responder should know', () => {
    const notes = ec2Notes(instance({ profileRoles: [], state: 'stopped', interfaces: [eni('eni-lb', 'vpc-1', { managedBy: 'elb' })] }));
    expect(notes).toEqual([
      'the instance has no instance profile: there are no instance credentials to deny',
      'the instance is stopped: isolated anyway, so it stays isolated if started',
      'interface eni-lb is managed by elb and was left alone',
    ]);
  });
});
