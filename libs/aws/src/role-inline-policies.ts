import {
  DeleteRolePolicyCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
} from '@aws-sdk/client-iam';
import { GUARD_TAG, LOCKDOWN_NAME_PREFIX } from '@lockdown/contracts';

import { isNotFound } from '@lockdown/containment';

/** lockdown's inline policies on a role (the credential denies of functions and instances). */
export class RoleInlinePolicies {
  constructor(private readonly iam: IAMClient) {}

  async put(RoleName: string, PolicyName: string, PolicyDocument: string): Promise<void> {
    await this.iam.send(new PutRolePolicyCommand({ RoleName, PolicyName, PolicyDocument }));
  }

  /** A policy (or role) already gone answers not-found: the executor counts that undo as done. */
  async remove(RoleName: string, PolicyName: string): Promise<void> {
    await this.iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName }));
  }

  /** Marks the role for the organization guard (its policies are frozen while a lockdown deny is on it). */
  async guard(RoleName: string): Promise<void> {
    await this.iam.send(new TagRoleCommand({ RoleName, Tags: [{ Key: GUARD_TAG, Value: 'true' }] }));
  }

  /** Removes the guard mark unless another containment's deny is still on the role. */
  async unguardUnlessOtherDenies(RoleName: string, ownPolicyName: string): Promise<void> {
    const names: string[] = [];
    let Marker: string | undefined;
    do {
      const page = await this.iam.send(new ListRolePoliciesCommand({ RoleName, Marker }));
      names.push(...(page.PolicyNames ?? []));
      Marker = page.IsTruncated ? page.Marker : undefined;
    } while (Marker);
    if (names.some((name) => name.startsWith(`${LOCKDOWN_NAME_PREFIX}deny-`) && name !== ownPolicyName)) return;
    await this.iam.send(new UntagRoleCommand({ RoleName, TagKeys: [GUARD_TAG] }));
  }

  async has(RoleName: string, PolicyName: string): Promise<boolean> {
    try {
      await this.iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }
}
