import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  DeleteLoginProfileCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteUserPermissionsBoundaryCommand,
  GetLoginProfileCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListSSHPublicKeysCommand,
  ListServiceSpecificCredentialsCommand,
  ListSigningCertificatesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  TagRoleCommand,
  TagUserCommand,
  UntagRoleCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
  UpdateSSHPublicKeyCommand,
  UpdateServiceSpecificCredentialCommand,
  UpdateSigningCertificateCommand,
} from '@aws-sdk/client-iam';
import type { OtherCredential, OtherCredentialType } from '../domain/observed';
import { isNotFound } from '@lockdown/containment';

export interface PrincipalInfo {
  arn: string;
  path: string;
  tags: Record<string, string>;
  /** The permissions boundary's policy ARN; null for none. */
  boundary: string | null;
}

/** The IAM calls lockdown makes on a user or a role, behind one interface. */
export interface PrincipalApi {
  get(): Promise<PrincipalInfo>;
  listAttached(): Promise<string[]>;
  listInline(): Promise<string[]>;
  /** An inline policy's document, URL-encoded as IAM returns it; undefined when there is none. */
  getInline(name: string): Promise<string | undefined>;
  listAccessKeys(): Promise<Array<{ id: string; status: string }>>;
  putInline(name: string, document: string): Promise<void>;
  deleteInline(name: string): Promise<void>;
  attach(policyArn: string): Promise<void>;
  detach(policyArn: string): Promise<void>;
  /** The permissions boundary: put (replacing any), or deleted. */
  putBoundary(policyArn: string): Promise<void>;
  deleteBoundary(): Promise<void>;
  updateAccessKey(id: string, status: 'Active' | 'Inactive'): Promise<void>;
  /** A user's SSH public keys, service-specific credentials and signing certificates (none for roles). */
  listOtherCredentials(): Promise<OtherCredential[]>;
  /** Users: whether a console password exists, and deleting it. */
  hasLoginProfile(): Promise<boolean>;
  deleteLoginProfile(): Promise<void>;
  updateOtherCredential(type: OtherCredentialType, id: string, status: 'Active' | 'Inactive'): Promise<void>;
  tag(key: string, value: string): Promise<void>;
  untag(key: string): Promise<void>;
}

const tagMap = (tags: Array<{ Key?: string; Value?: string }> | undefined) =>
  Object.fromEntries((tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));

/** A policy document, or undefined for not-found. */
async function documentOrNone(read: () => Promise<{ PolicyDocument?: string }>): Promise<string | undefined> {
  try {
    return (await read()).PolicyDocument ?? '';
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

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

/** A user's credentials beyond its access keys: the console password, SSH keys, service-specific credentials, signing certificates. */
function userCredentialsApi(
  iam: IAMClient,
  UserName: string,
): Pick<PrincipalApi, 'hasLoginProfile' | 'deleteLoginProfile' | 'listOtherCredentials' | 'updateOtherCredential'> {
  return {
    async hasLoginProfile() {
      try {
        await iam.send(new GetLoginProfileCommand({ UserName }));
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    },
    deleteLoginProfile: async () => void (await iam.send(new DeleteLoginProfileCommand({ UserName }))),
    listOtherCredentials: async () => {
      const [ssh, service, certificates] = await Promise.all([
        paginate(async (Marker) => {
          const r = await iam.send(new ListSSHPublicKeysCommand({ UserName, Marker }));
          return {
            items: (r.SSHPublicKeys ?? []).map((k) => ({
              type: 'ssh-public-key' as const,
              id: k.SSHPublicKeyId ?? '',
              status: k.Status ?? '',
            })),
            marker: r.IsTruncated ? r.Marker : undefined,
          };
        }),
        iam.send(new ListServiceSpecificCredentialsCommand({ UserName })),
        paginate(async (Marker) => {
          const r = await iam.send(new ListSigningCertificatesCommand({ UserName, Marker }));
          return {
            items: (r.Certificates ?? []).map((c) => ({
              type: 'signing-certificate' as const,
              id: c.CertificateId ?? '',
              status: c.Status ?? '',
            })),
            marker: r.IsTruncated ? r.Marker : undefined,
          };
        }),
      ]);
      const services = (service.ServiceSpecificCredentials ?? []).map((c) => ({
        type: 'service-specific-credential' as const,
        id: c.ServiceSpecificCredentialId ?? '',
        status: c.Status ?? '',
      }));
      return [...ssh, ...services, ...certificates];
    },
    updateOtherCredential: async (type, id, Status) => {
      if (type === 'ssh-public-key') await iam.send(new UpdateSSHPublicKeyCommand({ UserName, SSHPublicKeyId: id, Status }));
      else if (type === 'service-specific-credential')
        await iam.send(new UpdateServiceSpecificCredentialCommand({ UserName, ServiceSpecificCredentialId: id, Status }));
      else await iam.send(new UpdateSigningCertificateCommand({ UserName, CertificateId: id, Status }));
    },
  };
}

export function userApi(iam: IAMClient, UserName: string): PrincipalApi {
  return {
    ...userCredentialsApi(iam, UserName),
    async get() {
      const { User } = await iam.send(new GetUserCommand({ UserName }));
      return {
        arn: User?.Arn ?? '',
        path: User?.Path ?? '/',
        tags: tagMap(User?.Tags),
        boundary: User?.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
      };
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
    getInline: (PolicyName) => documentOrNone(() => iam.send(new GetUserPolicyCommand({ UserName, PolicyName }))),
    putInline: async (PolicyName, PolicyDocument) =>
      void (await iam.send(new PutUserPolicyCommand({ UserName, PolicyName, PolicyDocument }))),
    deleteInline: async (PolicyName) => void (await iam.send(new DeleteUserPolicyCommand({ UserName, PolicyName }))),
    attach: async (PolicyArn) => void (await iam.send(new AttachUserPolicyCommand({ UserName, PolicyArn }))),
    detach: async (PolicyArn) => void (await iam.send(new DetachUserPolicyCommand({ UserName, PolicyArn }))),
    putBoundary: async (PermissionsBoundary) =>
      void (await iam.send(new PutUserPermissionsBoundaryCommand({ UserName, PermissionsBoundary }))),
    deleteBoundary: async () => void (await iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName }))),
    updateAccessKey: async (AccessKeyId, Status) => void (await iam.send(new UpdateAccessKeyCommand({ UserName, AccessKeyId, Status }))),
    tag: async (Key, Value) => void (await iam.send(new TagUserCommand({ UserName, Tags: [{ Key, Value }] }))),
    untag: async (key) => void (await iam.send(new UntagUserCommand({ UserName, TagKeys: [key] }))),
  };
}

export function roleApi(iam: IAMClient, RoleName: string): PrincipalApi {
  const usersOnly = async (): Promise<never> => {
    throw new Error(`role ${RoleName} has no console password: login profiles are users'`);
  };
  return {
    hasLoginProfile: usersOnly,
    deleteLoginProfile: usersOnly,
    async get() {
      const { Role } = await iam.send(new GetRoleCommand({ RoleName }));
      return {
        arn: Role?.Arn ?? '',
        path: Role?.Path ?? '/',
        tags: tagMap(Role?.Tags),
        boundary: Role?.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
      };
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
    getInline: (PolicyName) => documentOrNone(() => iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }))),
    putInline: async (PolicyName, PolicyDocument) =>
      void (await iam.send(new PutRolePolicyCommand({ RoleName, PolicyName, PolicyDocument }))),
    deleteInline: async (PolicyName) => void (await iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName }))),
    attach: async (PolicyArn) => void (await iam.send(new AttachRolePolicyCommand({ RoleName, PolicyArn }))),
    detach: async (PolicyArn) => void (await iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn }))),
    putBoundary: async (PermissionsBoundary) =>
      void (await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName, PermissionsBoundary }))),
    deleteBoundary: async () => void (await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName }))),
    updateAccessKey: async () => {
      throw new Error('roles have no access keys');
    },
    listOtherCredentials: async () => [],
    updateOtherCredential: async () => {
      throw new Error('roles have no SSH keys, service-specific credentials or signing certificates');
    },
    tag: async (Key, Value) => void (await iam.send(new TagRoleCommand({ RoleName, Tags: [{ Key, Value }] }))),
    untag: async (key) => void (await iam.send(new UntagRoleCommand({ RoleName, TagKeys: [key] }))),
  };
}
