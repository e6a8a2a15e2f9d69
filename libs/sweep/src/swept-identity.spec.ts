import { SweptIdentity, belongsTo, lookupsOf, sweptIdentityOf } from './swept-identity';
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
      roleName: 'worker',
      sessionName: 'fn',
    };

    expect(belongsTo(session('worker', 'fn'), one)).toBe(true);
    expect(belongsTo(session('worker', 'fn2'), one)).toBe(false);
    expect(belongsTo(session('other', 'fn'), one)).toBe(false);
  });

  it("a function's or instance's credentials: the session named after it, of whichever role", () => {
    const fn = sweptIdentityOf({
      type: 'lambda-function',
      arn: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:fn`,
      accountId: ACCOUNT,
      region: 'eu-west-1',
      name: 'fn',
    })!;

    expect(belongsTo(session('any-role', 'fn'), fn)).toBe(true);
    expect(belongsTo(session('any-role', 'fn-2'), fn)).toBe(false);
  });

  it('the identity of each contained entity type; none for a bucket', () => {
    const entity = (type: string, name: string) =>
      ({ type, arn: `arn:${name}`, accountId: ACCOUNT, name }) as Parameters<typeof sweptIdentityOf>[0];

    expect(sweptIdentityOf(entity('iam-role-session', 'worker/i-0abc'))).toEqual({
      kind: 'role-session',
      accountId: ACCOUNT,
      roleName: 'worker',
      sessionName: 'i-0abc',
    });
    expect(sweptIdentityOf(entity('ec2-instance', 'i-0abc'))).toEqual({ kind: 'role-session', accountId: ACCOUNT, sessionName: 'i-0abc' });
    expect(sweptIdentityOf(entity('iam-user', 'mallory'))?.kind).toBe('iam-user');
    expect(sweptIdentityOf(entity('s3-bucket', 'b'))).toBeUndefined();
  });

  it('looks a user up by name, a session by its session name, a role by every change (one attribute a call)', () => {
    expect(lookupsOf(user)).toEqual([{ AttributeKey: 'Username', AttributeValue: 'mallory' }]);
    expect(lookupsOf({ kind: 'role-session', accountId: ACCOUNT, roleName: 'r', sessionName: 's' })).toEqual([
      { AttributeKey: 'Username', AttributeValue: 's' },
    ]);
    expect(lookupsOf({ kind: 'iam-role', accountId: ACCOUNT, roleName: 'r', arn: '' })).toEqual([
      { AttributeKey: 'ReadOnly', AttributeValue: 'false' },
    ]);
  });
});
