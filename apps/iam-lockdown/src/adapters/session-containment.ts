import { GetRoleCommand } from '@aws-sdk/client-iam';
import { ContainmentError, stepKinds, type ContainmentAdapter } from '@lockdown/containment';
import type { IamRoleSessionRef } from '@lockdown/contracts';
import {
  ObservedSession,
  planSessionContainment,
  sessionContainmentGaps,
  sessionDenyDocument,
  sessionDenyPolicyName,
} from '../domain/session';
import type { SessionContext } from '../steps/context';
import { sessionDeny, sessionRoleGuard } from '../steps/session';

/** Reads the session's role and lockdown's deny for it in one round trip (in parallel). */
export async function observeSession({ iam, rolePolicies }: SessionContext, entity: IamRoleSessionRef): Promise<ObservedSession> {
  const policyName = sessionDenyPolicyName(entity.sessionName);
  // The deny's document names the role's id: read the policy under its name in the same round trip, compare after.
  const [{ Role }, first] = await Promise.all([
    iam.send(new GetRoleCommand({ RoleName: entity.roleName })),
    rolePolicies.document(entity.roleName, policyName),
  ]);
  const rolePath = Role?.Path ?? '/';
  // The ARN has no path: a service-linked role is recognised here too, before anything changes.
  if (rolePath.startsWith('/aws-service-role/'))
    throw new ContainmentError(`${entity.roleName} is a service-linked role: only its AWS service can change it`, {
      retryable: false,
      code: 'service-linked-role',
    });
  const denyPolicyPresent =
    first !== undefined &&
    (await rolePolicies.holds(entity.roleName, policyName, sessionDenyDocument(Role?.RoleId ?? '', entity.sessionName), first));
  return {
    roleName: entity.roleName,
    roleArn: Role?.Arn ?? '',
    roleId: Role?.RoleId ?? '',
    rolePath,
    sessionName: entity.sessionName,
    denyPolicyPresent,
  };
}

export function sessionContainmentAdapter(entity: IamRoleSessionRef): ContainmentAdapter<SessionContext, ObservedSession> {
  return {
    observe: (ctx) => observeSession(ctx, entity),
    plan: planSessionContainment,
    snapshot: ({ denyPolicyPresent: _ours, ...state }) => state,
    kinds: stepKinds<SessionContext, ObservedSession>(sessionDeny, sessionRoleGuard),
    containmentGaps: sessionContainmentGaps,
  };
}
