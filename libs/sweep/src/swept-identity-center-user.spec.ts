import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SweptIdentity, belongsTo, lookupOf, sweptAccountsOf } from './swept-identity';
import { TrailRecord } from './trail-record';

/**
 * A real record of an IAM Identity Center session (role AWSReservedSSO_DevAdmin_abc123 under
 * /aws-reserved/sso.amazonaws.com/, session bob.ross): panther-analysis's test record, kept in
 * cloudtrail-samples/ with its source.
 */
const sample: TrailRecord = JSON.parse(
  readFileSync(join(__dirname, 'cloudtrail-samples', 'lambda-UpdateFunctionCode20150331v2-2.json'), 'utf8'),
).record;
const ACCOUNT = '123456789012';
const bob: SweptIdentity = { kind: 'identity-center-user', accountIds: [ACCOUNT], userName: 'bob.ross', permissionSetNames: ['DevAdmin'] };

/** The sample, as the session of `role` (under `path`) named `sessionName` in `account`. */
function as(role: string, sessionName: string, { account = ACCOUNT, path = '/aws-reserved/sso.amazonaws.com/' } = {}): TrailRecord {
  const record: TrailRecord = structuredClone(sample);
  const who = record.userIdentity!;
  who.arn = `arn:aws:sts::${account}:assumed-role/${role}/${sessionName}`;
  who.accountId = account;
  who.sessionContext!.sessionIssuer!.arn = `arn:aws:iam::${account}:role${path}${role}`;
  return { ...record, recipientAccountId: account };
}

describe("an Identity Center user's records", () => {
  it('the real SSO record is its session', () => {
    expect(belongsTo(sample, bob)).toBe(true);
  });

  it("its sessions of any of its permission sets' roles, in any account it reached (a regional instance's path too)", () => {
    const both: SweptIdentity = { ...bob, accountIds: [ACCOUNT, '210987654321'], permissionSetNames: ['DevAdmin', 'Read_Only'] };

    expect(belongsTo(as('AWSReservedSSO_Read_Only_0123456789abcdef', 'bob.ross'), both)).toBe(true);
    expect(belongsTo(as('AWSReservedSSO_DevAdmin_abc123', 'bob.ross', { account: '210987654321' }), both)).toBe(true);
    expect(belongsTo(as('AWSReservedSSO_DevAdmin_abc123', 'bob.ross', { path: '/aws-reserved/sso.amazonaws.com/eu-west-1/' }), both)).toBe(
      true,
    );
  });

  it('not a same-named session of a role Identity Center did not provision (any other path), even one named like it', () => {
    expect(belongsTo(as('AWSReservedSSO_DevAdmin_abc123', 'bob.ross', { path: '/' }), bob)).toBe(false);
    expect(belongsTo(as('admin', 'bob.ross'), bob)).toBe(false);
  });

  it("not another user's SSO session, nor a permission set it did not reach, nor an account it did not reach", () => {
    expect(belongsTo(as('AWSReservedSSO_DevAdmin_abc123', 'alice'), bob)).toBe(false);
    expect(belongsTo(as('AWSReservedSSO_Billing_abc123', 'bob.ross'), bob)).toBe(false);
    // A permission set named DevAdmin_Extra is another role, not a suffix of DevAdmin's.
    expect(belongsTo(as('AWSReservedSSO_DevAdmin_Extra_abc123', 'bob.ross'), bob)).toBe(false);
    expect(belongsTo(as('AWSReservedSSO_DevAdmin_abc123', 'bob.ross', { account: '999988887777' }), bob)).toBe(false);
  });

  it('looked up by its user name (the session name), in each account it reached', () => {
    expect(lookupOf(bob)).toEqual({ AttributeKey: 'Username', AttributeValue: 'bob.ross' });
    expect(sweptAccountsOf({ ...bob, accountIds: ['111111111111', '222222222222'] })).toEqual(['111111111111', '222222222222']);
  });
});
