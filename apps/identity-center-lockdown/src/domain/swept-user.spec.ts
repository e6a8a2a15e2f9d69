import { sweptUserOf } from './swept-user';

const admin = 'arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111';
const readOnly = 'arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-2222222222222222';

describe('whom the sweep of a contained Identity Center user reads', () => {
  it('every account it reached and every permission set it held, directly or through a group, once each', () => {
    const swept = sweptUserOf({
      arn: 'arn:aws:identitystore:::user/u-1',
      userId: 'u-1',
      userName: 'alice@example.com',
      external: false,
      instanceArn: 'arn:aws:sso:::instance/ssoins-1111111111111111',
      identityStoreId: 'd-1111111111',
      assignments: [
        { accountId: '222222222222', permissionSetArn: admin, principalType: 'USER', principalId: 'u-1' },
        { accountId: '111111111111', permissionSetArn: admin, principalType: 'USER', principalId: 'u-1' },
        { accountId: '333333333333', permissionSetArn: readOnly, principalType: 'GROUP', principalId: 'group-1' },
      ],
      memberships: [{ membershipId: 'membership-1', groupId: 'group-1' }],
      permissionSets: {
        [admin]: { arn: admin, name: 'AdministratorAccess', inlinePolicy: null },
        [readOnly]: { arn: readOnly, name: 'ReadOnly', inlinePolicy: null },
      },
    });

    expect(swept).toEqual({
      kind: 'identity-center-user',
      accountIds: ['111111111111', '222222222222', '333333333333'],
      userName: 'alice@example.com',
      permissionSetNames: ['AdministratorAccess', 'ReadOnly'],
    });
  });
});
