import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  TagRoleCommand,
  TagUserCommand,
  UntagRoleCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';

export interface PrincipalInfo {
  arn: string;
  path: string;
  tags: Record<string, string>;
}

/** The IAM calls lockdown makes on a user or a role, behind one interface. */
export interface PrincipalApi {
  get(): Promise<PrincipalInfo>;
  listAttached(): Promise<string[]>;
  listInline(): Promise<string[]>;
  listAccessKeys(): Promise<Array<{ id: string; status: string }>>;
  putInline(name: string, document: string): Promise<void>;
  deleteInline(name: string): Promise<void>;
  attach(policyArn: string): Promise<void>;
  detach(policyArn: string): Promise<void>;
  updateAccessKey(id: string, status: 'Active' | 'Inactive'): Promise<void>;
  tag(key: string, value: string): Promise<void>;
  untag(key: string): Promise<void>;
}

const tagMap = (tags: Array<{ Key?: string; Value?: string }> | undefined) =>
  Object.fromEntries((tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));

/** Follows IAM's Marker pagination. */
async function paginate<T>(page: (marker?: string) => Promise<{ items: T[]; marker?: string }>): Promise<T[]> {
  const items: T[] = [];
  let marker: string | undefined;
  do {
    const result = await page(marker);
    items.push(...result.items);
    marker = result.marker;
  } while (marker);
  return items;
}

export function userApi(iam: IAMClient, UserName: string): PrincipalApi {
  return {
    async get() {
      const { User } = await iam.send(new GetUserCommand({ UserName }));
      return { arn: User?.Arn ?? '', path: User?.Path ?? '/', tags: tagMap(User?.Tags) };
    },
    listAttached: () =>
      paginate(async (Marker) => {
        const r = await iam.send(new ListAttachedUserPoliciesCommand({ UserName, Marker }));
        return { items: (r.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? ''), marker: r.IsTruncated ? r.Marker : undefined };
      }),
    listInline: () =>
      paginate(async (Marker) => {
        const r = await iam.send(new ListUserPoliciesCommand({ UserName, Marker }));
        return { items: r.PolicyNames ?? [], marker: r.IsTruncated ? r.Marker : undefined };
      }),
    listAccessKeys: () =>
      paginate(async (Marker) => {
        const r = await iam.send(new ListAccessKeysCommand({ UserName, Marker }));
        return {
          items: (r.AccessKeyMetadata ?? []).map((k) => ({ id: k.AccessKeyId ?? '', status: k.Status ?? 'Inactive' })),
          marker: r.IsTruncated ? r.Marker : undefined,
        };
      }),
    putInline: async (PolicyName, PolicyDocument) =>
      void (await iam.send(new PutUserPolicyCommand({ UserName, PolicyName, PolicyDocument }))),
    deleteInline: async (PolicyName) => void (await iam.send(new DeleteUserPolicyCommand({ UserName, PolicyName }))),
    attach: async (PolicyArn) => void (await iam.send(new AttachUserPolicyCommand({ UserName, PolicyArn }))),
    detach: async (PolicyArn) => void (await iam.send(new DetachUserPolicyCommand({ UserName, PolicyArn }))),
    updateAccessKey: async (AccessKeyId, Status) => void (await iam.send(new UpdateAccessKeyCommand({ UserName, AccessKeyId, Status }))),
    tag: async (Key, Value) => void (await iam.send(new TagUserCommand({ UserName, Tags: [{ Key, Value }] }))),
    untag: async (key) => void (await iam.send(new UntagUserCommand({ UserName, TagKeys: [key] }))),
  };
}

export function roleApi(iam: IAMClient, RoleName: string): PrincipalApi {
  return {
    async get() {
      const { Role } = await iam.send(new GetRoleCommand({ RoleName }));
      return { arn: Role?.Arn ?? '', path: Role?.Path ?? '/', tags: tagMap(Role?.Tags) };
    },
    listAttached: () =>
      paginate(async (Marker) => {
        const r = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName, Marker }));
        return { items: (r.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? ''), marker: r.IsTruncated ? r.Marker : undefined };
      }),
    listInline: () =>
      paginate(async (Marker) => {
        const r = await iam.send(new ListRolePoliciesCommand({ RoleName, Marker }));
        return { items: r.PolicyNames ?? [], marker: r.IsTruncated ? r.Marker : undefined };
      }),
    listAccessKeys: async () => [],
    putInline: async (PolicyName, PolicyDocument) =>
      void (await iam.send(new PutRolePolicyCommand({ RoleName, PolicyName, PolicyDocument }))),
    deleteInline: async (PolicyName) => void (await iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName }))),
    attach: async (PolicyArn) => void (await iam.send(new AttachRolePolicyCommand({ RoleName, PolicyArn }))),
    detach: async (PolicyArn) => void (await iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn }))),
    updateAccessKey: async () => {
      throw new Error('roles have no access keys');
    },
    tag: async (Key, Value) => void (await iam.send(new TagRoleCommand({ RoleName, Tags: [{ Key, Value }] }))),
    untag: async (key) => void (await iam.send(new UntagRoleCommand({ RoleName, TagKeys: [key] }))),
  };
}
