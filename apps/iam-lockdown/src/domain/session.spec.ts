import { ObservedSession } from './session';
import { planSessionContainment, sessionContainmentGaps, sessionDenyDocument } from './session';

const observed: ObservedSession = {
  roleName: 'app',
  roleArn: 'arn:aws:iam::111111111111:role/app',
  roleId: 'AROAEXAMPLEROLEID0001',
  rolePath: '/',
  sessionName: 'stolen-laptop',
  denyPolicyPresent: false,
};

describe('planSessionContainment', () => {
  it('denies the session by aws:userid first, then marks the role for the guard, and never tags the role lockdown:containment', () => {
    const steps = planSessionContainment(observed);
    expect(steps.map((s) => [s.id, s.kind, s.stage])).toEqual([
      ['deny-session', 'role-inline-policy', 0],
      ['guard-role:app', 'role-guard', 1],
    ]);
    expect(steps[0]!.params).toMatchObject({ roleName: 'app', policyName: 'lockdown-deny-session-stolen-laptop' });
  });

  it("conditions the deny on this session's aws:userid only", () => {
    expect(JSON.parse(sessionDenyDocument('AROAEXAMPLEROLEID0001', 'stolen-laptop')).Statement).toEqual([
      {
        Sid: 'LockdownDenySession',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:userid': 'AROAEXAMPLEROLEID0001:stolen-laptop' } },
      },
    ]);
  });

  it('counts the session contained only while the deny is on the role', () => {
    expect(sessionContainmentGaps(observed)).toEqual(['the deny of session stolen-laptop is missing from role app']);
    expect(sessionContainmentGaps({ ...observed, denyPolicyPresent: true })).toEqual([]);
  });
});
