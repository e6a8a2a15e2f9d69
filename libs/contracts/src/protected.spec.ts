import { parseEntityArn } from './arn';
import { EntityRef } from './entity';
import { ProtectedSet, matchProtectedPattern, memberRoleNameOf, protectionOf, sharedMemberRoleNameOf } from './protected';

const SECURITY = '999999999999';
const MEMBER = '111111111111';

const entity = (arn: string, bucketOwner = MEMBER): EntityRef => {
  const result = parseEntityArn(arn, arn.startsWith('arn:aws:s3:') ? { accountId: bucketOwner } : {});
  if (!result.ok) throw new Error(result.error.message);
  return result.entity;
};

describe('protected by identity', () => {
  const set: ProtectedSet = {
    memberRoleName: 'lockdown-member',
    securityAccountId: SECURITY,
    bootstrapQualifier: 'hnb659fds',
    patterns: ['arn:aws:iam::*:role/BreakGlass'],
  };
  const isProtected = (arn: string, owner?: string) => protectionOf(entity(arn, owner), set) !== undefined;

  it('protects the member role and its sessions in every account, by its exact name', () => {
    expect(protectionOf(entity(`arn:aws:iam::${MEMBER}:role/lockdown-member`), set)).toMatch(/lockdown's member role/);
    expect(isProtected(`arn:aws:sts::${MEMBER}:assumed-role/lockdown-member/lockdown-iam-lockdown`)).toBe(true);
    expect(isProtected(`arn:aws:iam::${SECURITY}:role/lockdown-member`)).toBe(true);
    expect(isProtected(`arn:aws:iam::${MEMBER}:role/lockdown-member2`)).toBe(false);
    expect(isProtected(`arn:aws:iam::${MEMBER}:user/lockdown-member`)).toBe(false);
  });

  it("protects lockdown's roles, their sessions and functions in the security account only, in any region", () => {
    expect(protectionOf(entity(`arn:aws:iam::${SECURITY}:role/lockdown-iam-lockdown`), set)).toMatch(/lockdown's own.*security account/);
    expect(isProtected(`arn:aws:sts::${SECURITY}:assumed-role/lockdown-intake/lockdown-intake`)).toBe(true);
    expect(isProtected(`arn:aws:lambda:eu-west-1:${SECURITY}:function:lockdown-intake`)).toBe(true);
    expect(isProtected(`arn:aws:lambda:us-east-1:${SECURITY}:function:lockdown-triggers:live`)).toBe(true);
  });

  it("contains an attacker's lockdown-* role, function or bucket in a member account like any other", () => {
    expect(isProtected(`arn:aws:iam::${MEMBER}:role/lockdown-backdoor`)).toBe(false);
    expect(isProtected(`arn:aws:iam::${MEMBER}:role/lockdown-iam-lockdown`)).toBe(false);
    expect(isProtected(`arn:aws:lambda:eu-west-1:${MEMBER}:function:lockdown-intake`)).toBe(false);
    expect(isProtected('arn:aws:s3:::lockdown-audit-archive')).toBe(false);
  });

  it('does not protect a lockdown-* name lockdown does not deploy, even in the security account', () => {
    expect(isProtected(`arn:aws:iam::${SECURITY}:role/lockdown-backdoor`)).toBe(false);
    expect(isProtected(`arn:aws:lambda:eu-west-1:${SECURITY}:function:lockdown-backdoor`)).toBe(false);
  });

  it("protects the security account's CDK bootstrap bucket by its exact name and owner, in whichever region", () => {
    expect(isProtected(`arn:aws:s3:::cdk-hnb659fds-assets-${SECURITY}-eu-west-1`, SECURITY)).toBe(true);
    expect(isProtected(`arn:aws:s3:::cdk-hnb659fds-assets-${SECURITY}-us-gov-west-1`, SECURITY)).toBe(true);
    // Another owner (S3 names are global: anyone may create a bucket with this name), qualifier or account.
    expect(isProtected(`arn:aws:s3:::cdk-hnb659fds-assets-${SECURITY}-eu-west-1`, MEMBER)).toBe(false);
    expect(isProtected(`arn:aws:s3:::cdk-other-assets-${SECURITY}-eu-west-1`, SECURITY)).toBe(false);
    expect(isProtected(`arn:aws:s3:::cdk-hnb659fds-assets-${MEMBER}-eu-west-1`, MEMBER)).toBe(false);
    expect(isProtected(`arn:aws:s3:::cdk-hnb659fds-assets-${SECURITY}-eu-west-1-exfil`, SECURITY)).toBe(false);
  });

  it('uses the configured bootstrap qualifier', () => {
    const custom = { ...set, bootstrapQualifier: 'sec01' };
    expect(protectionOf(entity(`arn:aws:s3:::cdk-sec01-assets-${SECURITY}-eu-west-1`, SECURITY), custom)).toBeDefined();
    expect(protectionOf(entity(`arn:aws:s3:::cdk-hnb659fds-assets-${SECURITY}-eu-west-1`, SECURITY), custom)).toBeUndefined();
  });

  it("protects what the operator lists, and a listed role's sessions", () => {
    expect(protectionOf(entity(`arn:aws:iam::${MEMBER}:role/BreakGlass`), set)).toBe(
      `arn:aws:iam::${MEMBER}:role/BreakGlass is protected (matches arn:aws:iam::*:role/BreakGlass)`,
    );
    expect(isProtected(`arn:aws:sts::${MEMBER}:assumed-role/BreakGlass/alice`)).toBe(true);
    expect(isProtected(`arn:aws:sts::${MEMBER}:assumed-role/app/alice`)).toBe(false);
  });
});

describe('protectedPrincipals patterns', () => {
  const patterns = ['arn:aws:iam::*:role/BreakGlass', 'arn:aws:lambda:*:*:function:payments'];

  it('matches an IAM name whatever its path', () => {
    expect(matchProtectedPattern(entity(`arn:aws:iam::${MEMBER}:role/ops/BreakGlass`), patterns)).toBe('arn:aws:iam::*:role/BreakGlass');
  });

  it('matches a qualified Lambda ARN through its unqualified form', () => {
    expect(matchProtectedPattern(entity(`arn:aws:lambda:eu-west-1:${MEMBER}:function:payments:live`), patterns)).toBeDefined();
  });

  it('does not protect other principals, nor names that only contain a protected name', () => {
    expect(matchProtectedPattern(entity(`arn:aws:iam::${MEMBER}:role/BreakGlass2`), patterns)).toBeUndefined();
    expect(matchProtectedPattern(entity(`arn:aws:iam::${MEMBER}:user/BreakGlass`), patterns)).toBeUndefined();
  });

  it('treats regular-expression characters in patterns literally', () => {
    expect(matchProtectedPattern(entity(`arn:aws:iam::${MEMBER}:user/a.b`), ['arn:aws:iam::*:user/a.b'])).toBeDefined();
    expect(matchProtectedPattern(entity(`arn:aws:iam::${MEMBER}:user/axb`), ['arn:aws:iam::*:user/a.b'])).toBeUndefined();
  });
});

describe("the member roles' names", () => {
  it('a service with a role of its own finds the shared role from its own (the sweep reads CloudTrail with it); others assume the shared one', () => {
    const own = memberRoleNameOf('corp-member', 'identity-center-lockdown');

    expect(own).toBe('corp-member-identity-center');
    expect(sharedMemberRoleNameOf(own, 'identity-center-lockdown')).toBe('corp-member');
    expect(sharedMemberRoleNameOf(memberRoleNameOf('corp-member', 'iam-lockdown'), 'iam-lockdown')).toBe('corp-member');
  });
});
