import { awsError } from './errors';
import { CallContext, ServiceHandlers, newId } from './context';
import { AWS_MANAGED_POLICIES, AccountState, IAM_QUOTAS, IamPrincipalState, IamRoleState, IamUserState } from './state';

const noSuch = (what: string) => awsError('NoSuchEntity', `The ${what} cannot be found.`, 404);

function user(account: AccountState, name: string): IamUserState {
  const found = account.users.get(name);
  if (!found) throw noSuch(`user with name ${name}`);
  return found;
}

function role(account: AccountState, name: string): IamRoleState {
  const found = account.roles.get(name);
  if (!found) throw noSuch(`role with name ${name}`);
  return found;
}

/** Service-linked roles can only be changed by their service. */
/** Where Identity Center provisions a permission set's role in an account. */
export const RESERVED_SSO_PATH = '/aws-reserved/sso.amazonaws.com/';

function mutableRole(account: AccountState, name: string): IamRoleState {
  const found = role(account, name);
  // Service-linked roles, and IAM Identity Center's AWSReservedSSO_* roles, which only Identity Center
  // changes (https://repost.aws/knowledge-center/identity-center-aws-reserved-sso): same error.
  if (found.path.startsWith('/aws-service-role/') || found.path.startsWith(RESERVED_SSO_PATH))
    throw awsError(
      'UnmodifiableEntity',
      `Cannot perform the operation on the protected role '${name}' - this role is only modifiable by AWS`,
      400,
    );
  return found;
}

export function policyExists(account: AccountState, arn: string): boolean {
  const managed = new RegExp(`^arn:${account.partition}:iam::aws:policy/(?:.*/)?([^/]+)$`).exec(arn);
  if (managed) return AWS_MANAGED_POLICIES.includes(managed[1]!);
  return account.policies.has(arn);
}

function attach(account: AccountState, principal: IamPrincipalState, policyArn: string) {
  if (!policyExists(account, policyArn)) throw noSuch(`policy ${policyArn}`);
  if (principal.attached.includes(policyArn)) return {};
  if (principal.attached.length >= IAM_QUOTAS.managedPoliciesPerPrincipal)
    throw awsError('LimitExceeded', `Cannot exceed quota for PoliciesPerUser: ${IAM_QUOTAS.managedPoliciesPerPrincipal}`, 409);
  principal.attached.push(policyArn);
  return {};
}

function detach(principal: IamPrincipalState, policyArn: string) {
  const index = principal.attached.indexOf(policyArn);
  if (index === -1) throw noSuch(`policy ${policyArn} attached to ${principal.name}`);
  principal.attached.splice(index, 1);
  return {};
}

/**
 * The aggregate inline-policy quota (2,048 characters for a user, 10,240 for a role: IAM User Guide,
 * "IAM and AWS STS quotas"), refused as IAM does on the wire: HTTP 409, code LimitExceeded,
 * "Maximum policy size of 10240 bytes exceeded for role <name>" (as quoted from CloudFormation in
 * serverless/serverless#7643 and gchq/sleeper#1459; "for user <name>" in danvk/mapsnap#483).
 */
function putInline(principal: IamPrincipalState, name: string, document: string, quota: number, kind: 'user' | 'role') {
  JSON.parse(document);
  const size = [...principal.inline].filter(([n]) => n !== name).reduce((sum, [n, d]) => sum + n.length + d.replace(/\s/g, '').length, 0);
  if (size + name.length + document.replace(/\s/g, '').length > quota)
    throw awsError('LimitExceeded', `Maximum policy size of ${quota} bytes exceeded for ${kind} ${principal.name}`, 409);
  principal.inline.set(name, document);
  return {};
}

function deleteInline(principal: IamPrincipalState, name: string) {
  if (!principal.inline.delete(name)) throw noSuch(`policy with name ${name}`);
  return {};
}

/**
 * IAM tag keys on users and roles are case-insensitive, with their case preserved ("Case sensitivity",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html#case-sensitivity): a principal
 * cannot hold Department and department; tagging with another casing replaces the value of the key it
 * has (one key stays), and untagging with any casing removes it. 50 tags per user or role (IAM User
 * Guide, "IAM and AWS STS quotas": "Tags per IAM user / role: 50"), refused with LimitExceeded as IAM does.
 */
const existingKey = (principal: IamPrincipalState, key: string) =>
  [...principal.tags.keys()].find((k) => k.toLowerCase() === key.toLowerCase());
function tagPrincipal(principal: IamPrincipalState, tags: Array<{ Key: string; Value: string }>, kind: 'user' | 'role') {
  const keys = new Set([...principal.tags.keys(), ...tags.map((t) => existingKey(principal, t.Key) ?? t.Key)]);
  if (keys.size > IAM_QUOTAS.tagsPerPrincipal)
    throw awsError(
      'LimitExceeded',
      `Cannot exceed quota for TagsPer${kind === 'user' ? 'User' : 'Role'}: ${IAM_QUOTAS.tagsPerPrincipal}`,
      409,
    );
  for (const { Key, Value } of tags) principal.tags.set(existingKey(principal, Key) ?? Key, Value);
  return {};
}
function untagPrincipal(principal: IamPrincipalState, keys: string[]) {
  for (const key of keys) principal.tags.delete(existingKey(principal, key) ?? key);
  return {};
}
/** A permissions boundary: a managed policy that exists (NoSuchEntity otherwise); it takes no managed-policy slot. */
function putBoundary(account: AccountState, principal: IamPrincipalState, policyArn: string) {
  if (!policyExists(account, policyArn)) throw noSuch(`policy ${policyArn}`);
  principal.boundary = policyArn;
  return {};
}

function deleteBoundary(principal: IamPrincipalState) {
  delete principal.boundary;
  return {};
}

const boundaryOf = (principal: IamPrincipalState) =>
  principal.boundary
    ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: principal.boundary } }
    : {};

const tagsOf = (principal: IamPrincipalState) => [...principal.tags].map(([Key, Value]) => ({ Key, Value }));
const attachedOf = (principal: IamPrincipalState) =>
  principal.attached.map((PolicyArn) => ({ PolicyArn, PolicyName: PolicyArn.split('/').pop() }));

function newPrincipal(account: AccountState, kind: 'user' | 'role', name: string, path = '/', now: Date): IamPrincipalState {
  if ((kind === 'user' ? account.users : account.roles).has(name))
    throw awsError('EntityAlreadyExists', `${kind} with name ${name} already exists.`, 409);
  return {
    name,
    path,
    arn: `arn:${account.partition}:iam::${account.id}:${kind}${path}${name}`,
    id: newId(kind === 'user' ? 'AIDA' : 'AROA'),
    createDate: now,
    attached: [],
    inline: new Map(),
    tags: new Map(),
  };
}

const userShape = (u: IamUserState) => ({
  UserName: u.name,
  UserId: u.id,
  Arn: u.arn,
  Path: u.path,
  CreateDate: u.createDate,
  Tags: tagsOf(u),
  ...boundaryOf(u),
});
const roleShape = (r: IamRoleState) => ({
  RoleName: r.name,
  RoleId: r.id,
  Arn: r.arn,
  Path: r.path,
  CreateDate: r.createDate,
  AssumeRolePolicyDocument: encodeURIComponent(r.trustPolicy),
  Tags: tagsOf(r),
  ...boundaryOf(r),
});

/** The IAM operations lockdown calls (and the few the drill uses to create fixtures). */
export const iamHandlers: ServiceHandlers = {
  CreateUser: ({ UserName, Path }, { account, now }: CallContext) => {
    const created: IamUserState = { ...newPrincipal(account, 'user', UserName, Path, now), keys: new Map() };
    account.users.set(UserName, created);
    return { User: userShape(created) };
  },
  GetUser: ({ UserName }, { account }) => ({ User: userShape(user(account, UserName)) }),
  CreateAccessKey: ({ UserName }, { account, now }) => {
    const u = user(account, UserName);
    if (u.keys.size >= 2) throw awsError('LimitExceeded', 'Cannot exceed quota for AccessKeysPerUser: 2', 409);
    const AccessKeyId = newId('AKIA', 16);
    u.keys.set(AccessKeyId, { status: 'Active', createDate: now });
    return { AccessKey: { UserName, AccessKeyId, Status: 'Active', SecretAccessKey: newId('', 40), CreateDate: now } };
  },
  ListAccessKeys: ({ UserName }, { account }) => ({
    AccessKeyMetadata: [...user(account, UserName).keys].map(([AccessKeyId, k]) => ({
      UserName,
      AccessKeyId,
      Status: k.status,
      CreateDate: k.createDate,
    })),
    IsTruncated: false,
  }),
  UpdateAccessKey: ({ UserName, AccessKeyId, Status }, { account }) => {
    const key = user(account, UserName).keys.get(AccessKeyId);
    if (!key) throw noSuch(`Access Key with id ${AccessKeyId}`);
    key.status = Status;
    return {};
  },
  // The other credentials of a user: SSH public keys, service-specific credentials, signing certificates.
  UploadSSHPublicKey: ({ UserName, SSHPublicKeyBody }, { account, now }) => {
    const SSHPublicKeyId = newId('APKA', 16);
    (user(account, UserName).sshKeys ??= new Map()).set(SSHPublicKeyId, { status: 'Active' });
    return { SSHPublicKey: { UserName, SSHPublicKeyId, SSHPublicKeyBody, Status: 'Active', UploadDate: now, Fingerprint: 'sim' } };
  },
  ListSSHPublicKeys: ({ UserName }, { account, now }) => ({
    SSHPublicKeys: [...(user(account, UserName).sshKeys ?? [])].map(([SSHPublicKeyId, k]) => ({
      UserName,
      SSHPublicKeyId,
      Status: k.status,
      UploadDate: now,
    })),
    IsTruncated: false,
  }),
  UpdateSSHPublicKey: ({ UserName, SSHPublicKeyId, Status }, { account }) => {
    const key = user(account, UserName).sshKeys?.get(SSHPublicKeyId);
    if (!key) throw noSuch(`SSH public key with id ${SSHPublicKeyId}`);
    key.status = Status;
    return {};
  },
  CreateServiceSpecificCredential: ({ UserName, ServiceName }, { account, now }) => {
    const ServiceSpecificCredentialId = newId('ACCA', 16);
    (user(account, UserName).serviceCredentials ??= new Map()).set(ServiceSpecificCredentialId, {
      status: 'Active',
      serviceName: ServiceName,
    });
    return {
      ServiceSpecificCredential: {
        UserName,
        ServiceName,
        ServiceSpecificCredentialId,
        ServiceUserName: `${UserName}-at-sim`,
        ServicePassword: newId('', 40),
        Status: 'Active',
        CreateDate: now,
      },
    };
  },
  ListServiceSpecificCredentials: ({ UserName }, { account, now }) => ({
    ServiceSpecificCredentials: [...(user(account, UserName).serviceCredentials ?? [])].map(([ServiceSpecificCredentialId, c]) => ({
      UserName,
      ServiceSpecificCredentialId,
      ServiceName: c.serviceName,
      ServiceUserName: `${UserName}-at-sim`,
      Status: c.status,
      CreateDate: now,
    })),
  }),
  UpdateServiceSpecificCredential: ({ UserName, ServiceSpecificCredentialId, Status }, { account }) => {
    const credential = user(account, UserName).serviceCredentials?.get(ServiceSpecificCredentialId);
    if (!credential) throw noSuch(`Service specific credential with id ${ServiceSpecificCredentialId}`);
    credential.status = Status;
    return {};
  },
  UploadSigningCertificate: ({ UserName, CertificateBody }, { account, now }) => {
    const CertificateId = newId('', 32, 'ABCDEF0123456789');
    (user(account, UserName).certificates ??= new Map()).set(CertificateId, { status: 'Active' });
    return { Certificate: { UserName, CertificateId, CertificateBody, Status: 'Active', UploadDate: now } };
  },
  CreateLoginProfile: ({ UserName }, { account, now }) => {
    const u = user(account, UserName);
    if (u.loginProfile) throw awsError('EntityAlreadyExists', `Login Profile for user ${UserName} already exists.`, 409);
    u.loginProfile = { createDate: now };
    return { LoginProfile: { UserName, CreateDate: now, PasswordResetRequired: true } };
  },
  GetLoginProfile: ({ UserName }, { account }) => {
    const u = user(account, UserName);
    if (!u.loginProfile) throw awsError('NoSuchEntity', `Login Profile for User ${UserName} cannot be found.`, 404);
    return { LoginProfile: { UserName, CreateDate: u.loginProfile.createDate } };
  },
  DeleteLoginProfile: ({ UserName }, { account }) => {
    const u = user(account, UserName);
    if (!u.loginProfile) throw awsError('NoSuchEntity', `Login Profile for User ${UserName} cannot be found.`, 404);
    delete u.loginProfile;
    return {};
  },
  ListSigningCertificates: ({ UserName }, { account, now }) => ({
    Certificates: [...(user(account, UserName).certificates ?? [])].map(([CertificateId, c]) => ({
      UserName,
      CertificateId,
      CertificateBody: 'sim',
      Status: c.status,
      UploadDate: now,
    })),
    IsTruncated: false,
  }),
  UpdateSigningCertificate: ({ UserName, CertificateId, Status }, { account }) => {
    const certificate = user(account, UserName).certificates?.get(CertificateId);
    if (!certificate) throw noSuch(`Signing certificate with id ${CertificateId}`);
    certificate.status = Status;
    return {};
  },
  ListAttachedUserPolicies: ({ UserName }, { account }) => ({ AttachedPolicies: attachedOf(user(account, UserName)), IsTruncated: false }),
  AttachUserPolicy: ({ UserName, PolicyArn }, { account }) => attach(account, user(account, UserName), PolicyArn),
  DetachUserPolicy: ({ UserName, PolicyArn }, { account }) => detach(user(account, UserName), PolicyArn),
  ListUserPolicies: ({ UserName }, { account }) => ({ PolicyNames: [...user(account, UserName).inline.keys()], IsTruncated: false }),
  GetUserPolicy: ({ UserName, PolicyName }, { account }) => {
    const document = user(account, UserName).inline.get(PolicyName);
    if (document === undefined) throw noSuch(`user policy with name ${PolicyName}`);
    return { UserName, PolicyName, PolicyDocument: encodeURIComponent(document) };
  },
  PutUserPolicy: ({ UserName, PolicyName, PolicyDocument }, { account }) =>
    putInline(user(account, UserName), PolicyName, PolicyDocument, IAM_QUOTAS.userInlineBytes, 'user'),
  DeleteUserPolicy: ({ UserName, PolicyName }, { account }) => deleteInline(user(account, UserName), PolicyName),
  PutUserPermissionsBoundary: ({ UserName, PermissionsBoundary }, { account }) =>
    putBoundary(account, user(account, UserName), PermissionsBoundary),
  DeleteUserPermissionsBoundary: ({ UserName }, { account }) => deleteBoundary(user(account, UserName)),
  ListUserTags: ({ UserName }, { account }) => ({ Tags: tagsOf(user(account, UserName)), IsTruncated: false }),
  TagUser: ({ UserName, Tags }, { account }) => tagPrincipal(user(account, UserName), Tags, 'user'),
  UntagUser: ({ UserName, TagKeys }, { account }) => untagPrincipal(user(account, UserName), TagKeys),

  CreateRole: ({ RoleName, Path, AssumeRolePolicyDocument }, { account, now }) => {
    const created: IamRoleState = { ...newPrincipal(account, 'role', RoleName, Path, now), trustPolicy: AssumeRolePolicyDocument };
    account.roles.set(RoleName, created);
    return { Role: roleShape(created) };
  },
  GetRole: ({ RoleName }, { account }) => ({ Role: roleShape(role(account, RoleName)) }),
  UpdateAssumeRolePolicy: ({ RoleName, PolicyDocument }, { account }) => {
    mutableRole(account, RoleName).trustPolicy = PolicyDocument;
    return {};
  },
  ListAttachedRolePolicies: ({ RoleName }, { account }) => ({ AttachedPolicies: attachedOf(role(account, RoleName)), IsTruncated: false }),
  AttachRolePolicy: ({ RoleName, PolicyArn }, { account }) => attach(account, mutableRole(account, RoleName), PolicyArn),
  DetachRolePolicy: ({ RoleName, PolicyArn }, { account }) => detach(mutableRole(account, RoleName), PolicyArn),
  ListRolePolicies: ({ RoleName }, { account }) => ({ PolicyNames: [...role(account, RoleName).inline.keys()], IsTruncated: false }),
  GetRolePolicy: ({ RoleName, PolicyName }, { account }) => {
    const document = role(account, RoleName).inline.get(PolicyName);
    if (document === undefined) throw noSuch(`role policy with name ${PolicyName}`);
    return { RoleName, PolicyName, PolicyDocument: encodeURIComponent(document) };
  },
  PutRolePolicy: ({ RoleName, PolicyName, PolicyDocument }, { account }) =>
    putInline(mutableRole(account, RoleName), PolicyName, PolicyDocument, IAM_QUOTAS.roleInlineBytes, 'role'),
  DeleteRolePolicy: ({ RoleName, PolicyName }, { account }) => deleteInline(mutableRole(account, RoleName), PolicyName),
  PutRolePermissionsBoundary: ({ RoleName, PermissionsBoundary }, { account }) =>
    putBoundary(account, mutableRole(account, RoleName), PermissionsBoundary),
  DeleteRolePermissionsBoundary: ({ RoleName }, { account }) => deleteBoundary(mutableRole(account, RoleName)),
  ListRoleTags: ({ RoleName }, { account }) => ({ Tags: tagsOf(role(account, RoleName)), IsTruncated: false }),
  TagRole: ({ RoleName, Tags }, { account }) => tagPrincipal(mutableRole(account, RoleName), Tags, 'role'),
  UntagRole: ({ RoleName, TagKeys }, { account }) => untagPrincipal(mutableRole(account, RoleName), TagKeys),

  CreatePolicy: ({ PolicyName, Path = '/' }, { account }) => {
    const Arn = `arn:${account.partition}:iam::${account.id}:policy${Path}${PolicyName}`;
    account.policies.add(Arn);
    return { Policy: { PolicyName, Arn } };
  },
  CreateInstanceProfile: ({ InstanceProfileName, Path = '/' }, { account, now }) => {
    const profile = {
      name: InstanceProfileName,
      path: Path,
      id: newId('AIPA'),
      arn: `arn:${account.partition}:iam::${account.id}:instance-profile${Path}${InstanceProfileName}`,
      roles: [],
    };
    account.instanceProfiles.set(InstanceProfileName, profile);
    return { InstanceProfile: { InstanceProfileName, InstanceProfileId: profile.id, Arn: profile.arn, Path, Roles: [], CreateDate: now } };
  },
  AddRoleToInstanceProfile: ({ InstanceProfileName, RoleName }, { account }) => {
    const profile = account.instanceProfiles.get(InstanceProfileName);
    if (!profile) throw noSuch(`instance profile ${InstanceProfileName}`);
    role(account, RoleName);
    if (profile.roles.length >= 1) throw awsError('LimitExceeded', 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1', 409);
    profile.roles.push(RoleName);
    return {};
  },
  GetInstanceProfile: ({ InstanceProfileName }, { account, now }) => {
    const profile = account.instanceProfiles.get(InstanceProfileName);
    if (!profile) throw noSuch(`instance profile ${InstanceProfileName}`);
    return {
      InstanceProfile: {
        InstanceProfileName,
        InstanceProfileId: profile.id,
        Arn: profile.arn,
        Path: profile.path,
        CreateDate: now,
        Roles: profile.roles.map((name) => roleShape(role(account, name))),
      },
    };
  },
};
