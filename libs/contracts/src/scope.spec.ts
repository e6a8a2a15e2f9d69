import { parseEntityArn } from './arn';
import { EntityRef } from './entity';
import { outOfScope, parseScope, scopeFromEnvironment } from './scope';

const entity = (arn: string): EntityRef => {
  const result = parseEntityArn(arn);
  if (!result.ok) throw new Error(result.error.message);
  return result.entity;
};

describe('request scope', () => {
  const scope = parseScope({
    onboardedAccounts: 'all',
    protectedPrincipals: 'arn:aws:iam::*:role/BreakGlass',
    securityAccountId: '999999999999',
  });

  it.each([
    ['OrganizationAccountAccessRole'],
    ['AWSControlTowerExecution'],
    ['AWSCloudFormationStackSetExecutionRole'],
    ['stacksets-exec-0123456789abcdef0123456789abcdef'],
  ])(
    'contains the organization role %s like any other, whole or one session: a name protects nothing an attacker can also create',
    (role) => {
      expect(outOfScope(entity(`arn:aws:iam::111111111111:role/${role}`), scope)).toBeUndefined();
      expect(outOfScope(entity(`arn:aws:sts::111111111111:assumed-role/${role}/stolen`), scope)).toBeUndefined();
    },
  );

  it('refuses the member role, lockdown in the security account and listed principals as protected; contains the rest', () => {
    expect(outOfScope(entity('arn:aws:iam::111111111111:role/lockdown-member'), scope)?.code).toBe('protected-principal');
    expect(outOfScope(entity('arn:aws:iam::999999999999:role/lockdown-intake'), scope)?.code).toBe('protected-principal');
    expect(outOfScope(entity('arn:aws:iam::111111111111:role/BreakGlass'), scope)?.code).toBe('protected-principal');
    expect(outOfScope(entity('arn:aws:iam::111111111111:role/lockdown-backdoor'), scope)).toBeUndefined();
    expect(outOfScope(entity('arn:aws:iam::111111111111:role/OrganizationAccountAccessRole2'), scope)).toBeUndefined();
  });

  it('needs the security account: without it lockdown could not tell its own resources', () => {
    expect(scopeFromEnvironment({ ONBOARDED_ACCOUNTS: 'all' }).problem).toMatch(/^SECURITY_ACCOUNT_ID must be the 12-digit id/);
    expect(scopeFromEnvironment({ ONBOARDED_ACCOUNTS: 'all', SECURITY_ACCOUNT_ID: '999999999999' }).scope?.protectedSet).toEqual({
      memberRoleName: 'lockdown-member',
      securityAccountId: '999999999999',
      bootstrapQualifier: 'hnb659fds',
      patterns: [],
    });
    expect(scopeFromEnvironment({ ONBOARDED_ACCOUNTS: 'all', SECURITY_ACCOUNT_ID: '9999', BOOTSTRAP_QUALIFIER: 'x' }).problem).toMatch(
      /SECURITY_ACCOUNT_ID/,
    );
    expect(
      scopeFromEnvironment({ ONBOARDED_ACCOUNTS: 'all', SECURITY_ACCOUNT_ID: '999999999999', BOOTSTRAP_QUALIFIER: 'a b' }).problem,
    ).toMatch(/BOOTSTRAP_QUALIFIER/);
  });
});

describe('the scope of an Identity Center user', () => {
  const BREAK_GLASS = 'arn:aws:identitystore:::user/0f2b6a1e-70d1-4e5f-9a3b-1c2d3e4f5a6b';
  const user = (arn: string, accountId = '111111111111') => {
    const result = parseEntityArn(arn, { accountId, region: 'eu-west-1' });
    if (!result.ok) throw new Error(result.error.message);
    return result.entity;
  };
  const scope = parseScope({ onboardedAccounts: '111111111111', protectedPrincipals: BREAK_GLASS, securityAccountId: '999999999999' });

  it('is the Identity Center account: not onboarded, refused', () => {
    expect(outOfScope(user('arn:aws:identitystore:::user/1f2b6a1e-70d1-4e5f-9a3b-1c2d3e4f5a6b', '222222222222'), scope)?.code).toBe(
      'account-not-onboarded',
    );
  });

  it('protects a user listed in protectedPrincipals by their ARN (a break-glass administrator), and contains the others', () => {
    expect(outOfScope(user(BREAK_GLASS), scope)).toMatchObject({
      code: 'protected-principal',
      reason: expect.stringContaining(BREAK_GLASS),
    });
    expect(outOfScope(user('arn:aws:identitystore:::user/1f2b6a1e-70d1-4e5f-9a3b-1c2d3e4f5a6b'), scope)).toBeUndefined();
  });
});
