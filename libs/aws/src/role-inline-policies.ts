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
import { putOwnInlinePolicy, sameDocument } from './own-inline-policy';

/** lockdown's inline policies on a role (the credential denies of functions and instances). */
export class RoleInlinePolicies {
  constructor(private readonly iam: IAMClient) {}

  /** Never over a policy of that name that lockdown did not write (ForeignNameError). */
  async put(RoleName: string, PolicyName: string, PolicyDocument: string): Promise<void> {
    await putOwnInlinePolicy({
      where: `role ${RoleName}`,
      name: PolicyName,
      document: PolicyDocument,
      read: () => this.document(RoleName, PolicyName),
      put: async () => void (await this.iam.send(new PutRolePolicyCommand({ RoleName, PolicyName, PolicyDocument }))),
    });
  }

  /** The stored document (URL-encoded, as IAM returns it), or undefined when there is no such policy. */
  async document(RoleName: string, PolicyName: string): Promise<string | undefined> {
    try {
      return (await this.iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }))).PolicyDocument ?? '';
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * Deletes lockdown's policy; one of that name that lockdown did not write is kept (the answer
   * says so). A policy (or role) already gone answers not-found: the executor counts that undo as done.
   */
  async removeOwn(RoleName: string, PolicyName: string, document: string): Promise<string | undefined> {
    const stored = await this.document(RoleName, PolicyName);
    if (stored === undefined) return undefined;
    if (!sameDocument(decodeURIComponent(stored), document))
      return `the inline policy ${PolicyName} on role ${RoleName} is not the one lockdown wrote: kept as it is`;
    await this.iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName }));
    return undefined;
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
    return (await this.document(RoleName, PolicyName)) !== undefined;
  }
}
