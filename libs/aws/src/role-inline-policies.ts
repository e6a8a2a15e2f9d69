import { DeleteRolePolicyCommand, GetRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';

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
