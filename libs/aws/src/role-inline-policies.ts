import { DeleteRolePolicyCommand, GetRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';

const missing = (error: unknown) => (error as Error)?.name === 'NoSuchEntity';

/** lockdown's inline policies on a role (the credential denies of functions and instances). */
export class RoleInlinePolicies {
  constructor(private readonly iam: IAMClient) {}

  async put(RoleName: string, PolicyName: string, PolicyDocument: string): Promise<void> {
    await this.iam.send(new PutRolePolicyCommand({ RoleName, PolicyName, PolicyDocument }));
  }

  /** Idempotent: a policy (or role) already gone counts as removed. */
  async remove(RoleName: string, PolicyName: string): Promise<void> {
    await this.iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName })).catch((error: unknown) => {
      if (!missing(error)) throw error;
    });
  }

  async has(RoleName: string, PolicyName: string): Promise<boolean> {
    try {
      await this.iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }));
      return true;
    } catch (error) {
      if (missing(error)) return false;
      throw error;
    }
  }
}
