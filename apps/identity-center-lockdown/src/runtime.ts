import type { EntityOf } from '@lockdown/contracts';
import { planIdentityCenterContainment } from './domain/plan';

export { createIdentityCenterLockdownHandler as createHandler } from './handler';

/** The plan for an example starting state (`lockdown plan`). */
export function examplePlan(entity: EntityOf<'identity-center-lockdown'>, _now: string) {
  const instanceArn = 'arn:aws:sso:::instance/ssoins-1111111111111111';
  const admin = `arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111`;
  const readOnly = `arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-2222222222222222`;
  return {
    assumes: "AdministratorAccess in two accounts (the user's own assignments), ReadOnly through one group, no inline policies",
    steps: planIdentityCenterContainment(
      {
        arn: entity.arn,
        userId: entity.userId,
        userName: 'alice@example.com',
        external: false,
        instanceArn,
        identityStoreId: 'd-1111111111',
        assignments: [
          { accountId: '111111111111', permissionSetArn: admin, principalType: 'USER', principalId: entity.userId },
          { accountId: '222222222222', permissionSetArn: admin, principalType: 'USER', principalId: entity.userId },
          { accountId: '222222222222', permissionSetArn: readOnly, principalType: 'GROUP', principalId: 'group-1' },
        ],
        memberships: [{ membershipId: 'membership-1', groupId: 'group-1' }],
        permissionSets: {
          [admin]: { arn: admin, name: 'AdministratorAccess', inlinePolicy: null },
          [readOnly]: { arn: readOnly, name: 'ReadOnly', inlinePolicy: null },
        },
      },
      { keepSessionDenyOnRelease: true },
    ),
  };
}
