import type { EntityOf } from '@lockdown/contracts';
import { planIamContainment } from './domain/plan';
import { planSessionContainment } from './domain/session';

export { createIamLockdownHandler as createHandler } from './handler';

/** The plan for an example starting state (`lockdown plan`): one active and one inactive key, one managed policy. */
export function examplePlan(entity: EntityOf<'iam-lockdown'>, now: string) {
  if (entity.type === 'iam-role-session')
    return {
      assumes: 'the role exists (role id AROAEXAMPLEROLEID0001)',
      steps: planSessionContainment({
        roleName: entity.roleName,
        roleArn: `arn:${entity.partition}:iam::${entity.accountId}:role/${entity.roleName}`,
        roleId: 'AROAEXAMPLEROLEID0001',
        rolePath: '/',
        sessionName: entity.sessionName,
        denyPolicyPresent: false,
      }),
    };
  const user = entity.type === 'iam-user';
  return {
    assumes: user
      ? 'one active and one inactive access key, one managed policy attached, no permissions boundary'
      : 'one managed policy attached, no permissions boundary',
    steps: planIamContainment(
      {
        kind: user ? 'user' : 'role',
        name: entity.name,
        path: entity.path,
        arn: entity.arn,
        attachedPolicies: [`arn:${entity.partition}:iam::aws:policy/ReadOnlyAccess`],
        inlinePolicies: [],
        lockdownPolicies: [],
        otherCredentials: [],
        accessKeys: user
          ? [
              { id: 'AKIAEXAMPLEACTIVE001', status: 'Active' as const },
              { id: 'AKIAEXAMPLEINACTIVE1', status: 'Inactive' as const },
            ]
          : [],
        tags: {},
        permissionsBoundary: null,
      },
      { partition: entity.partition, requestId: '<request-id>', revokeSessions: false, now },
    ),
  };
}
