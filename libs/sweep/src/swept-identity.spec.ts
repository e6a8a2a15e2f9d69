import { SweptIdentity, belongsTo, lookupOf, sweptIdentityOf } from './swept-identity';
import { TrailRecord } from './trail-record';

const ACCOUNT = '111122223333';
const record = (userIdentity: TrailRecord['userIdentity']): TrailRecord => ({
  eventID: 'e',
  eventTime: '2026-11-26T12:00:00Z',
  eventSource: 'iam.amazonaws.com',
  eventName: 'CreateUser',
  userIdentity,
  recipientAccountId: ACCOUNT,
});
const session = (role: string, name: string, account = ACCOUNT) =>
  record({
    type: 'AssumedRole',
    principalId: `AROAEXAMPLE:${name}`,
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${name}`,
    accountId: account,
    accessKeyId: 'ASIAEXAMPLE',
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: `arn:aws:iam::${account}:role/app/${role}`, userName: role },
    },
  });

describe('which records are the compromised identity', () => {
  const user: SweptIdentity = {
    kind: 'iam-user',
    accountId: ACCOUNT,
    userName: 'mallory',
    arn: `arn:aws:iam::${ACCOUNT}:user/mallory`,
    accessKeyIds: ['AKIAOLD'],
  };

  it("a user's records by its ARN or by one of its keys; not another user's", () => {
    expect(belongsTo(record({ type: 'IAMUser', arn: user.arn, accountId: ACCOUNT, accessKeyId: 'AKIANEW' }), user)).toBe(true);
    expect(
      belongsTo(record({ type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/other', accountId: ACCOUNT, accessKeyId: 'AKIAOLD' }), user),
    ).toBe(true);
    expect(
      belongsTo(record({ type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/other', accountId: ACCOUNT, accessKeyId: 'AKIAX' }), user),
    ).toBe(false);
  });

  it("a role's records are every session it issued (a role with a path included), in its account only", () => {
    const role: SweptIdentity = {
      kind: 'iam-role',
      accountId: ACCOUNT,
      roleName: 'worker',
      arn: `arn:aws:iam::${ACCOUNT}:role/app/worker`,
    };

    expect(belongsTo(session('worker', 'i-0abc'), role)).toBe(true);
    expect(belongsTo(session('worker', 'i-0abc', '999988887777'), role)).toBe(false);
    expect(belongsTo(session('other', 'i-0abc'), role)).toBe(false);
  });

  it("a session's records are that session's only", () => {
    const one: SweptIdentity = {
      kind: 'role-session',
      accountId: ACCOUNT,
      roleNames: ['worker'],
      sessionName: 'fn',
    };

    expect(belongsTo(session('worker', 'fn'), one)).toBe(true);
    expect(belongsTo(session('worker', 'fn2'), one)).toBe(false);
    expect(belongsTo(session('other', 'fn'), one)).toBe(false);
  });

  // Review finding: a function's name is the attacker's choice, so another role's session of that name
  // must not be taken for the function's (nor an instance's, whose session is its id): the role and
  // the session are matched together, as the assumed-role ARN names them.
  it.each([
    ['lambda-function', 'fn', `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:fn`],
    ['ec2-instance', 'i-0abc', `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0abc`],
  ] as const)("a %s's credentials: the session named after it, of its own role(s) only", (type, name, arn) => {
    const own = sweptIdentityOf({ type, arn, accountId: ACCOUNT, region: 'eu-west-1', name }, ['fn-role', 'second-role'])!;

    expect(belongsTo(session('fn-role', name), own)).toBe(true);
    expect(belongsTo(session('second-role', name), own)).toBe(true);
    expect(belongsTo(session('attacker-role', name), own)).toBe(false);
    expect(belongsTo(session('fn-role', `${name}-2`), own)).toBe(false);
    expect(belongsTo(session('fn-role', name, '999988887777'), own)).toBe(false);
  });

  // Review finding (H2): a second principal who replaces an instance's profile (or a function's role)
  // leaves no known role; the sweep then matches the session name alone rather than nothing at all.
  it("with no role known, a function's or an instance's credentials are any role's session named after it", () => {
    const arn = `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0abc`;
    const unknown = sweptIdentityOf({ type: 'ec2-instance', arn, accountId: ACCOUNT, region: 'eu-west-1', name: 'i-0abc' }, [])!;

    expect(belongsTo(session('any-role', 'i-0abc'), unknown)).toBe(true);
    expect(belongsTo(session('any-role', 'i-0abc-2'), unknown)).toBe(false);
    expect(belongsTo(session('any-role', 'i-0abc', '999988887777'), unknown)).toBe(false);
  });

  it('matches a session by its assumed-role ARN: a record whose session issuer names another role is not the session', () => {
    const one: SweptIdentity = { kind: 'role-session', accountId: ACCOUNT, roleNames: ['worker'], sessionName: 'fn' };
    const forged = session('other', 'fn');
    forged.userIdentity!.sessionContext!.sessionIssuer!.arn = `arn:aws:iam::${ACCOUNT}:role/worker`;

    expect(belongsTo(forged, one)).toBe(false);
  });

  it('the identity of each contained entity type; none for a bucket', () => {
    const entity = (type: string, name: string) =>
      ({ type, arn: `arn:${name}`, accountId: ACCOUNT, name }) as Parameters<typeof sweptIdentityOf>[0];

    expect(sweptIdentityOf(entity('iam-role-session', 'worker/i-0abc'))).toEqual({
      kind: 'role-session',
      accountId: ACCOUNT,
      roleNames: ['worker'],
      sessionName: 'i-0abc',
    });
    expect(sweptIdentityOf(entity('ec2-instance', 'i-0abc'), ['profile-role'])).toEqual({
      kind: 'role-session',
      accountId: ACCOUNT,
      roleNames: ['profile-role'],
      sessionName: 'i-0abc',
    });
    expect(sweptIdentityOf(entity('iam-user', 'mallory'))?.kind).toBe('iam-user');
    expect(sweptIdentityOf(entity('s3-bucket', 'b'))).toBeUndefined();
  });

  it('looks a user up by name, a session by its session name, a role by every change (one attribute a call)', () => {
    expect(lookupOf(user)).toEqual({ AttributeKey: 'Username', AttributeValue: 'mallory' });
    expect(lookupOf({ kind: 'role-session', accountId: ACCOUNT, roleNames: ['r'], sessionName: 's' })).toEqual({
      AttributeKey: 'Username',
      AttributeValue: 's',
    });
    expect(lookupOf({ kind: 'iam-role', accountId: ACCOUNT, roleName: 'r', arn: '' })).toEqual({
      AttributeKey: 'ReadOnly',
      AttributeValue: 'false',
    });
  });
});
