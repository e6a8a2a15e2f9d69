import { parseEntityArn } from './arn';
import { EntityRef } from './entity';
import { builtInProtectedPatterns, matchProtectedPattern } from './protected';

const entity = (arn: string): EntityRef => {
  const result = parseEntityArn(arn, arn.startsWith('arn:aws:s3:') ? { accountId: '111111111111' } : {});
  if (!result.ok) throw new Error(result.error.message);
  return result.entity;
};

describe('protected principals', () => {
  const patterns = [...builtInProtectedPatterns('lockdown-member'), 'arn:aws:iam::*:role/BreakGlass'];

  it('always protects lockdown roles, functions and the member role in every account', () => {
    expect(matchProtectedPattern(entity('arn:aws:iam::111111111111:role/lockdown-member'), patterns)).toBeDefined();
    expect(matchProtectedPattern(entity('arn:aws:iam::111111111111:role/lockdown-iam-lockdown'), patterns)).toBeDefined();
    expect(matchProtectedPattern(entity('arn:aws:lambda:eu-west-1:111111111111:function:lockdown-intake'), patterns)).toBeDefined();
  });

  it("always protects lockdown's own buckets and the CDK bootstrap bucket lockdown is deployed from", () => {
    expect(matchProtectedPattern(entity('arn:aws:s3:::lockdown-audit-archive'), patterns)).toBeDefined();
    expect(matchProtectedPattern(entity('arn:aws:s3:::cdk-hnb659fds-assets-111111111111-eu-west-1'), patterns)).toBeDefined();
    expect(matchProtectedPattern(entity('arn:aws:s3:::customer-data'), patterns)).toBeUndefined();
  });

  it("protects the sessions of a protected role (lockdown's member role, a break-glass role)", () => {
    expect(matchProtectedPattern(entity('arn:aws:sts::111111111111:assumed-role/lockdown-member/lockdown-iam-x'), patterns)).toBeDefined();
    expect(matchProtectedPattern(entity('arn:aws:sts::111111111111:assumed-role/BreakGlass/alice'), patterns)).toBe(
      'arn:aws:iam::*:role/BreakGlass',
    );
    expect(matchProtectedPattern(entity('arn:aws:sts::111111111111:assumed-role/app/alice'), patterns)).toBeUndefined();
  });

  it('matches an IAM name whatever its path', () => {
    expect(matchProtectedPattern(entity('arn:aws:iam::111111111111:role/ops/BreakGlass'), patterns)).toBe('arn:aws:iam::*:role/BreakGlass');
  });

  it('matches a qualified Lambda ARN through its unqualified form', () => {
    expect(matchProtectedPattern(entity('arn:aws:lambda:eu-west-1:111111111111:function:lockdown-intake:live'), patterns)).toBeDefined();
  });

  it('does not protect other principals, nor names that only contain a protected name', () => {
    expect(matchProtectedPattern(entity('arn:aws:iam::111111111111:role/BreakGlass2'), patterns)).toBeUndefined();
    expect(matchProtectedPattern(entity('arn:aws:iam::111111111111:user/lockdown-member'), patterns)).toBeUndefined();
  });

  it('treats regular-expression characters in patterns literally', () => {
    expect(matchProtectedPattern(entity('arn:aws:iam::111111111111:user/a.b'), ['arn:aws:iam::*:user/a.b'])).toBeDefined();
    expect(matchProtectedPattern(entity('arn:aws:iam::111111111111:user/axb'), ['arn:aws:iam::*:user/a.b'])).toBeUndefined();
  });
});
