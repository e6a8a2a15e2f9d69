import {
  CreateGroupMembershipCommand,
  DeleteGroupMembershipCommand,
  DescribeUserCommand,
  GetGroupMembershipIdCommand,
  IdentitystoreClient,
  ListGroupMembershipsForMemberCommand,
} from '@aws-sdk/client-identitystore';
import {
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DeleteInlinePolicyFromPermissionSetCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetCommand,
  DescribePermissionSetProvisioningStatusCommand,
  GetInlinePolicyForPermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListAccountAssignmentsForPrincipalCommand,
  ListInstancesCommand,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { ContainmentError, isNotFound } from '@lockdown/containment';
import type { ObservedAssignment, ObservedPermissionSet } from '../domain/observed';

/** An asynchronous Identity Center request's status, as every Describe*Status returns it. */
interface RequestStatus {
  Status?: string;
  RequestId?: string;
  FailureReason?: string;
}

/** Every page of a paginated list call. */
async function allPages<T>(
  page: (token: string | undefined) => Promise<{ items: T[] | undefined; next: string | undefined }>,
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const result = await page(token);
    items.push(...(result.items ?? []));
    token = result.next;
  } while (token);
  return items;
}

/** An assignment of the user to an account with a permission set. */
export interface AssignmentKey {
  instanceArn: string;
  accountId: string;
  permissionSetArn: string;
  principalType: 'USER' | 'GROUP';
  principalId: string;
}

/**
 * The IAM Identity Center calls identity-center-lockdown makes, in the Identity Center account and the
 * instance's region (SSO Admin and Identity Store). Identity Center's writes are asynchronous: each is
 * followed by one status read in the same invocation; a request still in progress fails the step as
 * retryable, so SQS delivers the message again later (no Lambda waits) and the step, idempotent, runs again.
 */
export class IdentityCenterApi {
  constructor(
    private readonly sso: SSOAdminClient,
    private readonly identityStore: IdentitystoreClient,
  ) {}

  /** The account's Identity Center instance (one per account: an organization instance or an account instance). */
  async instance(): Promise<{ instanceArn: string; identityStoreId: string }> {
    const instances = await allPages(async (token) => {
      const r = await this.sso.send(new ListInstancesCommand({ NextToken: token }));
      return { items: r.Instances, next: r.NextToken };
    });
    const found = instances.filter((i) => i.InstanceArn && i.IdentityStoreId);
    if (found.length !== 1)
      throw new ContainmentError(
        found.length === 0
          ? 'no IAM Identity Center instance in this account and region: the AccountId and Region attributes must name the Identity Center account and its home region'
          : `${found.length} Identity Center instances in this account and region: lockdown expects one`,
        { retryable: false, code: 'invalid' },
      );
    return { instanceArn: found[0]!.InstanceArn!, identityStoreId: found[0]!.IdentityStoreId! };
  }

  async user(identityStoreId: string, userId: string): Promise<{ userName: string; external: boolean }> {
    const r = await this.identityStore.send(new DescribeUserCommand({ IdentityStoreId: identityStoreId, UserId: userId }));
    return { userName: r.UserName ?? userId, external: (r.ExternalIds ?? []).length > 0 };
  }

  /** Every assignment the user reaches, directly or through a group (paginated). */
  async assignmentsOf(instanceArn: string, userId: string): Promise<ObservedAssignment[]> {
    const items = await allPages(async (token) => {
      const r = await this.sso.send(
        new ListAccountAssignmentsForPrincipalCommand({
          InstanceArn: instanceArn,
          PrincipalId: userId,
          PrincipalType: 'USER',
          NextToken: token,
        }),
      );
      return { items: r.AccountAssignments, next: r.NextToken };
    });
    return items.map((a) => ({
      accountId: a.AccountId!,
      permissionSetArn: a.PermissionSetArn!,
      principalType: a.PrincipalType === 'GROUP' ? 'GROUP' : 'USER',
      principalId: a.PrincipalId!,
    }));
  }

  async membershipsOf(identityStoreId: string, userId: string): Promise<Array<{ membershipId: string; groupId: string }>> {
    const items = await allPages(async (token) => {
      const r = await this.identityStore.send(
        new ListGroupMembershipsForMemberCommand({ IdentityStoreId: identityStoreId, MemberId: { UserId: userId }, NextToken: token }),
      );
      return { items: r.GroupMemberships, next: r.NextToken };
    });
    return items.map((m) => ({ membershipId: m.MembershipId!, groupId: m.GroupId! }));
  }

  async permissionSet(instanceArn: string, permissionSetArn: string): Promise<ObservedPermissionSet> {
    const [described, inlinePolicy] = await Promise.all([
      this.sso.send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: permissionSetArn })),
      this.inlinePolicy(instanceArn, permissionSetArn),
    ]);
    return { arn: permissionSetArn, name: described.PermissionSet?.Name ?? permissionSetArn, inlinePolicy };
  }

  async inlinePolicy(instanceArn: string, permissionSetArn: string): Promise<string | null> {
    const r = await this.sso.send(
      new GetInlinePolicyForPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: permissionSetArn }),
    );
    return r.InlinePolicy ? r.InlinePolicy : null;
  }

  /** Puts (or, with null, deletes) the inline policy, then provisions it to every account the permission set is in. */
  async setInlinePolicy(instanceArn: string, permissionSetArn: string, policy: string | null): Promise<void> {
    const ids = { InstanceArn: instanceArn, PermissionSetArn: permissionSetArn };
    if (policy === null) await this.sso.send(new DeleteInlinePolicyFromPermissionSetCommand(ids));
    else await this.sso.send(new PutInlinePolicyToPermissionSetCommand({ ...ids, InlinePolicy: policy }));
    const started = await this.sso.send(new ProvisionPermissionSetCommand({ ...ids, TargetType: 'ALL_PROVISIONED_ACCOUNTS' }));
    await this.settled('provisioning permission set', started.PermissionSetProvisioningStatus, async (id) => {
      const r = await this.sso.send(
        new DescribePermissionSetProvisioningStatusCommand({ InstanceArn: instanceArn, ProvisionPermissionSetRequestId: id }),
      );
      return r.PermissionSetProvisioningStatus;
    });
  }

  /** Whether this exact assignment exists (paginated). */
  async isAssigned(key: AssignmentKey): Promise<boolean> {
    const items = await allPages(async (token) => {
      const r = await this.sso.send(
        new ListAccountAssignmentsCommand({
          InstanceArn: key.instanceArn,
          AccountId: key.accountId,
          PermissionSetArn: key.permissionSetArn,
          NextToken: token,
        }),
      );
      return { items: r.AccountAssignments, next: r.NextToken };
    });
    return items.some((a) => a.PrincipalType === key.principalType && a.PrincipalId === key.principalId);
  }

  async deleteAssignment(key: AssignmentKey): Promise<void> {
    const started = await this.sso.send(new DeleteAccountAssignmentCommand(assignmentInput(key)));
    await this.settled('deleting the account assignment', started.AccountAssignmentDeletionStatus, async (id) => {
      const r = await this.sso.send(
        new DescribeAccountAssignmentDeletionStatusCommand({ InstanceArn: key.instanceArn, AccountAssignmentDeletionRequestId: id }),
      );
      return r.AccountAssignmentDeletionStatus;
    });
  }

  async createAssignment(key: AssignmentKey): Promise<void> {
    const started = await this.sso.send(new CreateAccountAssignmentCommand(assignmentInput(key)));
    await this.settled('creating the account assignment', started.AccountAssignmentCreationStatus, async (id) => {
      const r = await this.sso.send(
        new DescribeAccountAssignmentCreationStatusCommand({ InstanceArn: key.instanceArn, AccountAssignmentCreationRequestId: id }),
      );
      return r.AccountAssignmentCreationStatus;
    });
  }

  /** The user's membership id in a group, or undefined when they are not a member. */
  async membershipId(identityStoreId: string, groupId: string, userId: string): Promise<string | undefined> {
    try {
      const r = await this.identityStore.send(
        new GetGroupMembershipIdCommand({ IdentityStoreId: identityStoreId, GroupId: groupId, MemberId: { UserId: userId } }),
      );
      return r.MembershipId;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async deleteMembership(identityStoreId: string, membershipId: string): Promise<void> {
    await this.identityStore.send(new DeleteGroupMembershipCommand({ IdentityStoreId: identityStoreId, MembershipId: membershipId }));
  }

  async createMembership(identityStoreId: string, groupId: string, userId: string): Promise<void> {
    await this.identityStore.send(
      new CreateGroupMembershipCommand({ IdentityStoreId: identityStoreId, GroupId: groupId, MemberId: { UserId: userId } }),
    );
  }

  /**
   * Reads an asynchronous request's status once more if it is still in progress: SUCCEEDED resolves;
   * FAILED (its reason said) and IN_PROGRESS fail as retryable, and the idempotent step runs again on redelivery.
   */
  private async settled(what: string, status: RequestStatus | undefined, describe: (id: string) => Promise<RequestStatus | undefined>) {
    let current = status;
    if (current?.Status === 'IN_PROGRESS' && current.RequestId) current = await describe(current.RequestId);
    if (current?.Status === 'SUCCEEDED') return;
    if (current?.Status === 'FAILED')
      throw new ContainmentError(`Identity Center failed ${what}: ${current.FailureReason ?? 'no reason given'}`, {
        retryable: true,
        code: 'transient',
      });
    throw new ContainmentError(`Identity Center is still ${what} (request ${current?.RequestId ?? 'unknown'}): retried on redelivery`, {
      retryable: true,
      code: 'in-progress',
    });
  }
}

const assignmentInput = (key: AssignmentKey) => ({
  InstanceArn: key.instanceArn,
  TargetId: key.accountId,
  TargetType: 'AWS_ACCOUNT' as const,
  PermissionSetArn: key.permissionSetArn,
  PrincipalType: key.principalType,
  PrincipalId: key.principalId,
});
