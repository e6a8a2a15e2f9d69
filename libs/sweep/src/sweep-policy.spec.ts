import { SweepFinding } from './finding';
import { containmentsOf } from './sweep-policy';

const ACCOUNT = '111122223333';
const finding = (eventId: string, category: SweepFinding['category'], entities: SweepFinding['entities']): SweepFinding => ({
  eventId,
  eventTime: '2026-11-26T12:00:00Z',
  eventName: 'x',
  region: 'eu-west-1',
  sourceIp: '203.0.113.7',
  category,
  reason: 'why',
  entities,
});
const FINDINGS = [
  finding('e1', 'new-principal', [{ kind: 'iam-user', id: 'backdoor' }]),
  finding('e2', 'new-credential', [{ kind: 'iam-access-key', id: 'AKIANEW', owner: 'alice' }]),
  finding('e3', 'trust-change', [{ kind: 'iam-role', id: 'door' }]),
  finding('e4', 'new-compute', [
    { kind: 'ec2-instance', id: 'i-1' },
    { kind: 'lambda-function', id: 'fn' },
  ]),
  finding('e5', 'network-exposure', [{ kind: 'security-group', id: 'sg-1', detail: 'tcp 22 from 0.0.0.0/0' }]),
  finding('e6', 'logging-tampering', [{ kind: 'trail', id: 'org' }]),
];

describe('what the sweep policy contains', () => {
  it("never a principal a policy was attached to or put on: the attacker picks it (a defender's role), so it is reported only", () => {
    const escalation = [
      finding('e7', 'privilege-escalation', [
        { kind: 'iam-role', id: 'ci-deploy' },
        { kind: 'iam-policy', id: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
      ]),
    ];
    expect(containmentsOf(escalation, { 'privilege-escalation': 'contain' }, ACCOUNT)).toEqual([]);
  });

  it('at most ten containments from one sweep: the rest is reported', () => {
    const many = Array.from({ length: 14 }, (_, i) => finding(`n${i}`, 'new-principal', [{ kind: 'iam-user', id: `u${i}` }]));
    expect(containmentsOf(many, { 'new-principal': 'contain' }, ACCOUNT).map((c) => c.eventId)).toEqual(
      Array.from({ length: 10 }, (_, i) => `n${i}`),
    );
  });

  it('nothing by default: every category is reported', () => {
    expect(containmentsOf(FINDINGS, {}, ACCOUNT)).toEqual([]);
  });

  it('under contain: the new user, the user of a key made for it, the role trusting outside, the instance and the function; never a security group or a trail', () => {
    const contain = {
      'new-principal': 'contain',
      'new-credential': 'contain',
      'trust-change': 'contain',
      'new-compute': 'contain',
      'network-exposure': 'contain',
      'logging-tampering': 'contain',
    } as const;

    expect(containmentsOf(FINDINGS, contain, ACCOUNT)).toEqual([
      { arn: `arn:aws:iam::${ACCOUNT}:user/backdoor`, eventId: 'e1', reason: 'new-principal: why' },
      { arn: `arn:aws:iam::${ACCOUNT}:user/alice`, eventId: 'e2', reason: 'new-credential: why' },
      { arn: `arn:aws:iam::${ACCOUNT}:role/door`, eventId: 'e3', reason: 'trust-change: why' },
      { arn: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-1`, eventId: 'e4', reason: 'new-compute: why' },
      { arn: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:fn`, eventId: 'e4', reason: 'new-compute: why' },
    ]);
  });

  it('never the swept identity itself (a key it reactivated on itself is its own containment, not a new one)', () => {
    const own = [finding('e7', 'new-credential', [{ kind: 'iam-access-key', id: 'AKIAOWN', owner: 'mallory' }])];

    expect(containmentsOf(own, { 'new-credential': 'contain' }, ACCOUNT, 'aws', `arn:aws:iam::${ACCOUNT}:user/mallory`)).toEqual([]);
  });

  it('only the categories set to contain', () => {
    expect(containmentsOf(FINDINGS, { 'trust-change': 'contain' }, ACCOUNT).map((c) => c.eventId)).toEqual(['e3']);
  });
});
