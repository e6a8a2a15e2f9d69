import { ObservedPrincipal } from './observed';
import { iamContainmentGaps, planIamContainment, receiptSteps } from './plan';

const DENY_ALL = 'arn:aws:iam::aws:policy/AWSDenyAll';
const principal = (overrides: Partial<ObservedPrincipal> = {}): ObservedPrincipal => ({
  kind: 'user',
  name: 'alice',
  path: '/',
  arn: 'arn:aws:iam::111111111111:user/alice',
  attachedPolicies: [],
  inlinePolicies: [],
  lockdownPolicies: [],
  accessKeys: [],
  otherCredentials: [],
  tags: {},
  permissionsBoundary: null,
  ...overrides,
});
const options = { partition: 'aws' as const, requestId: 'req-1', revokeSessions: false, now: '2026-11-26T10:00:00.000Z' };
const summary = (observed: ObservedPrincipal, extra: Partial<typeof options> = {}) =>
  planIamContainment(observed, { ...options, ...extra }).map((s) => `${s.stage} ${s.id} ${s.kind} ${JSON.stringify(s.original)}`);

describe('planIamContainment', () => {
  it.each([
    [
      'a user without keys',
      principal(),
      {},
      [
        '0 inline-deny-all inline-policy null',
        '1 deny-all-boundary permissions-boundary null',
        '1 attach-aws-deny-all managed-policy false',
        '0 tag tag null',
      ],
    ],
    [
      'a user with one active and one inactive key: only the active one',
      principal({
        accessKeys: [
          { id: 'AKIA1', status: 'Active' },
          { id: 'AKIA2', status: 'Inactive' },
        ],
      }),
      {},
      [
        '0 inline-deny-all inline-policy null',
        '1 deny-all-boundary permissions-boundary null',
        '1 attach-aws-deny-all managed-policy false',
        '1 deactivate-key:AKIA1 access-key "Active"',
        '0 tag tag null',
      ],
    ],
    [
      'AWSDenyAll already attached: not planned (and so never detached on release)',
      principal({ attachedPolicies: [DENY_ALL] }),
      {},
      ['0 inline-deny-all inline-policy null', '1 deny-all-boundary permissions-boundary null', '0 tag tag null'],
    ],
    [
      "the principal's own boundary: recorded as the original, put back on release",
      principal({ permissionsBoundary: 'arn:aws:iam::111111111111:policy/theirs' }),
      {},
      [
        '0 inline-deny-all inline-policy null',
        '1 deny-all-boundary permissions-boundary "arn:aws:iam::111111111111:policy/theirs"',
        '1 attach-aws-deny-all managed-policy false',
        '0 tag tag null',
      ],
    ],
    [
      'AWSDenyAll already the boundary: not planned (and so never removed on release)',
      principal({ permissionsBoundary: DENY_ALL }),
      {},
      ['0 inline-deny-all inline-policy null', '1 attach-aws-deny-all managed-policy false', '0 tag tag null'],
    ],
    [
      "a containment tag already there is lockdown's own (maybe written on receipt, racing this read): release removes it",
      principal({ tags: { 'lockdown:containment': 'req-1' } }),
      {},
      [
        '0 inline-deny-all inline-policy null',
        '1 deny-all-boundary permissions-boundary null',
        '1 attach-aws-deny-all managed-policy false',
        '0 tag tag null',
      ],
    ],
    [
      'a role with session revocation: a kept deny',
      principal({ kind: 'role', arn: 'arn:aws:iam::111111111111:role/app' }),
      { revokeSessions: true },
      [
        '0 inline-deny-all inline-policy null',
        '1 deny-all-boundary permissions-boundary null',
        '1 attach-aws-deny-all managed-policy false',
        '1 revoke-older-sessions kept-inline-policy null',
        '0 tag tag null',
      ],
    ],
    [
      'session revocation is for roles only',
      principal(),
      { revokeSessions: true },
      [
        '0 inline-deny-all inline-policy null',
        '1 deny-all-boundary permissions-boundary null',
        '1 attach-aws-deny-all managed-policy false',
        '0 tag tag null',
      ],
    ],
  ])('%s', (_name, observed, extra, expected) => {
    // Act + Assert
    expect(summary(observed, extra)).toEqual(expected);
  });

  it('closes every other door of a user: active SSH keys, service-specific credentials, signing certificates', () => {
    const observed = principal({
      otherCredentials: [
        { type: 'ssh-public-key', id: 'APKA1', status: 'Active' },
        { type: 'service-specific-credential', id: 'ACCA1', status: 'Active' },
        { type: 'signing-certificate', id: 'CERT1', status: 'Inactive' },
      ],
    });
    const steps = planIamContainment(observed, options).filter((s) => s.kind === 'other-credential');
    expect(steps.map((s) => [s.id, s.calls.apply[0], s.original])).toEqual([
      ['deactivate-ssh-public-key:APKA1', 'iam:UpdateSSHPublicKey', 'Active'],
      ['deactivate-service-specific-credential:ACCA1', 'iam:UpdateServiceSpecificCredential', 'Active'],
    ]);
  });

  it('names the calls of each step for the principal kind', () => {
    const role = planIamContainment(principal({ kind: 'role' }), options);
    expect(role.map((s) => s.calls.apply).flat()).toEqual([
      'iam:GetRolePolicy',
      'iam:PutRolePolicy',
      'iam:PutRolePermissionsBoundary',
      'iam:AttachRolePolicy',
      'iam:TagRole',
    ]);
    expect(role.find((s) => s.id === 'tag')!.calls.undo).toEqual(['iam:UntagRole']);
    expect(role.find((s) => s.id === 'deny-all-boundary')!.calls.undo).toEqual(['iam:DeleteRolePermissionsBoundary']);
    const bounded = planIamContainment(principal({ kind: 'role', permissionsBoundary: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }), options);
    expect(bounded.find((s) => s.id === 'deny-all-boundary')!.calls.undo).toEqual(['iam:PutRolePermissionsBoundary']);
  });

  it('plans, with the same ids and params, exactly what goes out on receipt (the deny and the tag)', () => {
    for (const kind of ['user', 'role'] as const) {
      const plan = planIamContainment(principal({ kind }), options);
      for (const step of receiptSteps(kind, 'alice', options.requestId)) expect(plan).toContainEqual(step);
    }
  });

  it('uses the partition of the entity for AWSDenyAll', () => {
    const steps = planIamContainment(principal(), { ...options, partition: 'aws-us-gov' });
    expect(steps.find((s) => s.id === 'attach-aws-deny-all')!.params).toEqual({ policyArn: 'arn:aws-us-gov:iam::aws:policy/AWSDenyAll' });
  });
});

describe('iamContainmentGaps', () => {
  it.each([
    [principal({ lockdownPolicies: ['lockdown-deny-all'] }), []],
    [principal({ attachedPolicies: [DENY_ALL] }), []],
    [principal({ permissionsBoundary: DENY_ALL }), []],
    [
      principal({ permissionsBoundary: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }),
      ['neither lockdown-deny-all nor AWSDenyAll (attached or as the boundary) is in effect on user alice'],
    ],
  ])('%#: contained while one deny-all holds', (observed, gaps) => {
    expect(iamContainmentGaps(observed, 'aws')).toEqual(gaps);
  });
});
