import { createHash, randomUUID } from 'node:crypto';
import { awsError } from './errors';
import { ServiceHandlers, newId } from './context';

/**
 * An IAM Identity Center instance in its account (the management account or the delegated
 * administrator), in its home region: the Identity Store (users, groups, memberships) and SSO Admin
 * (permission sets, account assignments, provisioning). Writes are asynchronous as in AWS: they answer
 * IN_PROGRESS and their status reads SUCCEEDED `asyncMs` later (0: at the first status read).
 */
export interface IdentityCenterState {
  accountId: string;
  region: string;
  instanceArn: string;
  identityStoreId: string;
  users: Map<string, { userName: string; externalIds: Array<{ Issuer: string; Id: string }> }>;
  groups: Map<string, { displayName: string }>;
  memberships: Map<string, { groupId: string; userId: string }>;
  permissionSets: Map<string, { name: string; inlinePolicy?: string; managedPolicies: string[] }>;
  assignments: Array<{ accountId: string; permissionSetArn: string; principalType: 'USER' | 'GROUP'; principalId: string }>;
  requests: Map<string, { status: 'IN_PROGRESS' | 'SUCCEEDED'; completesAt: number }>;
  asyncMs: number;
}

/** An account assignment as SSO Admin's list calls answer it. */
const assignmentShape = (a: IdentityCenterState['assignments'][number]) => ({
  AccountId: a.accountId,
  PermissionSetArn: a.permissionSetArn,
  PrincipalType: a.principalType,
  PrincipalId: a.principalId,
});

/** What provisioning does in a member account: the `AWSReservedSSO_*` role a permission set becomes there. */
export interface RoleProvisioner {
  ensureRole(accountId: string, roleName: string, inlinePolicy: string | undefined, managedPolicies: string[]): void;
  deleteRole(accountId: string, roleName: string): void;
}

export function newIdentityCenter(accountId: string, region: string, partition = 'aws'): IdentityCenterState {
  const hex = (n: number) => createHash('sha256').update(`${accountId}${region}`).digest('hex').slice(0, n);
  return {
    accountId,
    region,
    instanceArn: `arn:${partition}:sso:::instance/ssoins-${hex(16)}`,
    identityStoreId: `d-${hex(10)}`,
    users: new Map(),
    groups: new Map(),
    memberships: new Map(),
    permissionSets: new Map(),
    assignments: [],
    requests: new Map(),
    asyncMs: 0,
  };
}

/** The role a permission set is provisioned as in an account: `AWSReservedSSO_<name>_<16 hex>`, under /aws-reserved/sso.amazonaws.com/. */
export function reservedRoleName(state: IdentityCenterState, permissionSetArn: string, accountId: string): string {
  const name = state.permissionSets.get(permissionSetArn)?.name ?? 'Unknown';
  return `AWSReservedSSO_${name}_${createHash('sha256').update(`${permissionSetArn}${accountId}`).digest('hex').slice(0, 16)}`;
}

/** Whether the user reaches this permission set in this account, directly or through a group. */
export function reaches(state: IdentityCenterState, userId: string, accountId: string, permissionSetArn: string): boolean {
  const groups = new Set([...state.memberships.values()].filter((m) => m.userId === userId).map((m) => m.groupId));
  return state.assignments.some(
    (a) =>
      a.accountId === accountId &&
      a.permissionSetArn === permissionSetArn &&
      ((a.principalType === 'USER' && a.principalId === userId) || (a.principalType === 'GROUP' && groups.has(a.principalId))),
  );
}

const notFound = (what: string) => awsError('ResourceNotFoundException', `${what} not found`, 400);
const PAGE = 2;
/** A page of a list, continued by NextToken (an offset): small pages, so callers must paginate. */
function page<T>(items: T[], token: string | undefined, max: number | undefined): { items: T[]; NextToken?: string } {
  const start = token ? Number(token) : 0;
  const end = start + Math.min(max ?? PAGE, PAGE);
  return { items: items.slice(start, end), ...(end < items.length ? { NextToken: String(end) } : {}) };
}

/**
 * The Identity Center APIs of the caller's account (`instanceOf`), as SSO Admin and Identity Store answer
 * them (JSON protocol; ResourceNotFoundException, ConflictException), provisioning roles through `roles`.
 */
export function identityCenterHandlers(
  instanceOf: (accountId: string, region: string) => IdentityCenterState | undefined,
  roles: RoleProvisioner,
): { sso: ServiceHandlers; identitystore: ServiceHandlers } {
  const stateOf = (accountId: string, region: string) => {
    const state = instanceOf(accountId, region);
    if (!state) throw awsError('AccessDeniedException', 'no IAM Identity Center instance in this account and region', 400);
    return state;
  };
  const instance = (accountId: string, region: string, arn: string) => {
    const state = stateOf(accountId, region);
    if (arn !== state.instanceArn) throw notFound(`Instance ${arn}`);
    return state;
  };
  const permissionSet = (state: IdentityCenterState, arn: string) => {
    const found = state.permissionSets.get(arn);
    if (!found) throw notFound(`PermissionSet ${arn}`);
    return found;
  };
  const started = (state: IdentityCenterState, now: Date) => {
    const id = randomUUID();
    state.requests.set(id, { status: 'IN_PROGRESS', completesAt: now.getTime() + state.asyncMs });
    return { Status: 'IN_PROGRESS', RequestId: id, CreatedDate: now };
  };
  const status = (state: IdentityCenterState, id: string, now: Date) => {
    const request = state.requests.get(id);
    if (!request) throw notFound(`Request ${id}`);
    if (request.completesAt <= now.getTime()) request.status = 'SUCCEEDED';
    return { Status: request.status, RequestId: id };
  };
  /** Provisions a permission set's role to an account as it is now (or removes it when nothing is assigned there any more). */
  const provision = (state: IdentityCenterState, permissionSetArn: string, accountId: string) => {
    const set = permissionSet(state, permissionSetArn);
    const name = reservedRoleName(state, permissionSetArn, accountId);
    if (state.assignments.some((a) => a.accountId === accountId && a.permissionSetArn === permissionSetArn))
      roles.ensureRole(accountId, name, set.inlinePolicy, set.managedPolicies);
    else roles.deleteRole(accountId, name);
  };
  const userId = (state: IdentityCenterState, id: string) => {
    if (!state.users.has(id)) throw notFound(`User ${id}`);
    return id;
  };
  const store = (accountId: string, region: string, id: string) => {
    const state = stateOf(accountId, region);
    if (id !== state.identityStoreId) throw notFound(`IdentityStore ${id}`);
    return state;
  };

  const sso: ServiceHandlers = {
    ListInstances: (_input, { account, region }) => {
      const state = instanceOf(account.id, region);
      return {
        Instances: state
          ? [{ InstanceArn: state.instanceArn, IdentityStoreId: state.identityStoreId, OwnerAccountId: account.id, Status: 'ACTIVE' }]
          : [],
      };
    },
    DescribePermissionSet: ({ InstanceArn, PermissionSetArn }, { account, region }) => {
      const set = permissionSet(instance(account.id, region, InstanceArn), PermissionSetArn);
      return { PermissionSet: { Name: set.name, PermissionSetArn } };
    },
    GetInlinePolicyForPermissionSet: ({ InstanceArn, PermissionSetArn }, { account, region }) => ({
      InlinePolicy: permissionSet(instance(account.id, region, InstanceArn), PermissionSetArn).inlinePolicy ?? '',
    }),
    PutInlinePolicyToPermissionSet: ({ InstanceArn, PermissionSetArn, InlinePolicy }, { account, region }) => {
      JSON.parse(InlinePolicy);
      permissionSet(instance(account.id, region, InstanceArn), PermissionSetArn).inlinePolicy = InlinePolicy;
      return {};
    },
    DeleteInlinePolicyFromPermissionSet: ({ InstanceArn, PermissionSetArn }, { account, region }) => {
      delete permissionSet(instance(account.id, region, InstanceArn), PermissionSetArn).inlinePolicy;
      return {};
    },
    ProvisionPermissionSet: ({ InstanceArn, PermissionSetArn, TargetType, TargetId }, { account, region, now }) => {
      const state = instance(account.id, region, InstanceArn);
      permissionSet(state, PermissionSetArn);
      const accounts =
        TargetType === 'AWS_ACCOUNT'
          ? [TargetId as string]
          : [...new Set(state.assignments.filter((a) => a.permissionSetArn === PermissionSetArn).map((a) => a.accountId))];
      accounts.forEach((id) => provision(state, PermissionSetArn, id));
      return { PermissionSetProvisioningStatus: { ...started(state, now), PermissionSetArn } };
    },
    DescribePermissionSetProvisioningStatus: ({ InstanceArn, ProvisionPermissionSetRequestId }, { account, region, now }) => ({
      PermissionSetProvisioningStatus: status(instance(account.id, region, InstanceArn), ProvisionPermissionSetRequestId, now),
    }),
    ListAccountAssignmentsForPrincipal: ({ InstanceArn, PrincipalId, PrincipalType, NextToken, MaxResults }, { account, region }) => {
      const state = instance(account.id, region, InstanceArn);
      const groups =
        PrincipalType === 'USER'
          ? new Set([...state.memberships.values()].filter((m) => m.userId === PrincipalId).map((m) => m.groupId))
          : new Set<string>();
      const mine = state.assignments.filter(
        (a) =>
          (a.principalType === PrincipalType && a.principalId === PrincipalId) ||
          (a.principalType === 'GROUP' && groups.has(a.principalId)),
      );
      const { items, ...rest } = page(mine.map(assignmentShape), NextToken, MaxResults);
      return { AccountAssignments: items, ...rest };
    },
    ListAccountAssignments: ({ InstanceArn, AccountId, PermissionSetArn, NextToken, MaxResults }, { account, region }) => {
      const state = instance(account.id, region, InstanceArn);
      permissionSet(state, PermissionSetArn);
      const { items, ...rest } = page(
        state.assignments.filter((a) => a.accountId === AccountId && a.permissionSetArn === PermissionSetArn).map(assignmentShape),
        NextToken,
        MaxResults,
      );
      return { AccountAssignments: items, ...rest };
    },
    CreateAccountAssignment: ({ InstanceArn, TargetId, PermissionSetArn, PrincipalType, PrincipalId }, { account, region, now }) => {
      const state = instance(account.id, region, InstanceArn);
      permissionSet(state, PermissionSetArn);
      if (PrincipalType === 'USER') userId(state, PrincipalId);
      const same = (a: IdentityCenterState['assignments'][number]) =>
        a.accountId === TargetId &&
        a.permissionSetArn === PermissionSetArn &&
        a.principalType === PrincipalType &&
        a.principalId === PrincipalId;
      if (state.assignments.some(same)) throw awsError('ConflictException', 'The assignment already exists', 400);
      state.assignments.push({
        accountId: TargetId,
        permissionSetArn: PermissionSetArn,
        principalType: PrincipalType,
        principalId: PrincipalId,
      });
      provision(state, PermissionSetArn, TargetId);
      return { AccountAssignmentCreationStatus: { ...started(state, now), TargetId, PermissionSetArn, PrincipalType, PrincipalId } };
    },
    DeleteAccountAssignment: ({ InstanceArn, TargetId, PermissionSetArn, PrincipalType, PrincipalId }, { account, region, now }) => {
      const state = instance(account.id, region, InstanceArn);
      permissionSet(state, PermissionSetArn);
      const index = state.assignments.findIndex(
        (a) =>
          a.accountId === TargetId &&
          a.permissionSetArn === PermissionSetArn &&
          a.principalType === PrincipalType &&
          a.principalId === PrincipalId,
      );
      if (index === -1) throw notFound(`Assignment of ${PermissionSetArn} to ${PrincipalType} ${PrincipalId} in ${TargetId}`);
      state.assignments.splice(index, 1);
      provision(state, PermissionSetArn, TargetId);
      return { AccountAssignmentDeletionStatus: { ...started(state, now), TargetId, PermissionSetArn, PrincipalType, PrincipalId } };
    },
    DescribeAccountAssignmentCreationStatus: ({ InstanceArn, AccountAssignmentCreationRequestId }, { account, region, now }) => ({
      AccountAssignmentCreationStatus: status(instance(account.id, region, InstanceArn), AccountAssignmentCreationRequestId, now),
    }),
    DescribeAccountAssignmentDeletionStatus: ({ InstanceArn, AccountAssignmentDeletionRequestId }, { account, region, now }) => ({
      AccountAssignmentDeletionStatus: status(instance(account.id, region, InstanceArn), AccountAssignmentDeletionRequestId, now),
    }),
  };

  const identitystore: ServiceHandlers = {
    DescribeUser: ({ IdentityStoreId, UserId }, { account, region }) => {
      const state = store(account.id, region, IdentityStoreId);
      const user = state.users.get(userId(state, UserId))!;
      return {
        IdentityStoreId,
        UserId,
        UserName: user.userName,
        ...(user.externalIds.length > 0 ? { ExternalIds: user.externalIds } : {}),
      };
    },
    ListGroupMembershipsForMember: ({ IdentityStoreId, MemberId, NextToken, MaxResults }, { account, region }) => {
      const state = store(account.id, region, IdentityStoreId);
      userId(state, MemberId?.UserId);
      const { items, ...rest } = page(
        [...state.memberships]
          .filter(([, m]) => m.userId === MemberId.UserId)
          .map(([id, m]) => ({ IdentityStoreId, MembershipId: id, GroupId: m.groupId, MemberId: { UserId: m.userId } })),
        NextToken,
        MaxResults,
      );
      return { GroupMemberships: items, ...rest };
    },
    GetGroupMembershipId: ({ IdentityStoreId, GroupId, MemberId }, { account, region }) => {
      const state = store(account.id, region, IdentityStoreId);
      const found = [...state.memberships].find(([, m]) => m.groupId === GroupId && m.userId === MemberId?.UserId);
      if (!found) throw notFound(`GroupMembership of ${MemberId?.UserId} in ${GroupId}`);
      return { IdentityStoreId, MembershipId: found[0] };
    },
    CreateGroupMembership: ({ IdentityStoreId, GroupId, MemberId }, { account, region }) => {
      const state = store(account.id, region, IdentityStoreId);
      if (!state.groups.has(GroupId)) throw notFound(`Group ${GroupId}`);
      userId(state, MemberId?.UserId);
      if ([...state.memberships.values()].some((m) => m.groupId === GroupId && m.userId === MemberId.UserId))
        throw awsError('ConflictException', 'Member already exists in the group', 400);
      const id = randomUUID();
      state.memberships.set(id, { groupId: GroupId, userId: MemberId.UserId });
      return { IdentityStoreId, MembershipId: id };
    },
    DeleteGroupMembership: ({ IdentityStoreId, MembershipId }, { account, region }) => {
      const state = store(account.id, region, IdentityStoreId);
      if (!state.memberships.delete(MembershipId)) throw notFound(`GroupMembership ${MembershipId}`);
      return {};
    },
  };
  return { sso, identitystore };
}

/** A fixture's ids in AWS's shapes: a user or group id (a UUID), a permission set ARN. */
export const identityCenterIds = {
  principal: () => randomUUID(),
  permissionSet: (state: IdentityCenterState) =>
    `${state.instanceArn.replace(':instance/', ':permissionSet/')}/ps-${newId('', 16, '0123456789abcdef')}`,
};
