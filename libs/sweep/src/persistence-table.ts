import { allowsAnything, outsidePrincipals } from './policy-documents';
import { Recorded, TrailRecord } from './trail-record';

/** What a change left behind, as a responder sorts it. */
export const CATEGORIES = [
  'new-principal',
  'new-credential',
  'privilege-escalation',
  'trust-change',
  'new-compute',
  'network-exposure',
  'data-exposure',
  'logging-tampering',
] as const;
export type Category = (typeof CATEGORIES)[number];

export type EntityKind =
  | 'iam-user'
  | 'iam-access-key'
  | 'iam-role'
  | 'iam-group'
  | 'iam-policy'
  | 'identity-provider'
  | 'lambda-function'
  | 'ec2-instance'
  | 'ec2-key-pair'
  | 'security-group'
  | 'snapshot'
  | 'image'
  | 's3-bucket'
  | 'trail'
  | 'detector'
  | 'flow-log'
  | 'config-recorder';

/** One thing an event created or changed: its kind and id (a name, key id, ARN...), and what about it. */
export interface Entity {
  kind: EntityKind;
  id: string;
  /** The user an access key, login profile or credential belongs to. */
  owner?: string;
  detail?: string;
}

export interface Row {
  /** The operation (Lambda's without its API version). */
  event: string;
  category: Category;
  reason: string;
  /** The entities the event created or changed. */
  entities: (record: TrailRecord) => Entity[];
  /**
   * When set, the row applies only if this returns a detail (why this call is a door, e.g. the
   * outside account a trust names); otherwise the event is set aside.
   */
  when?: (record: TrailRecord) => string | undefined;
}

const req = (r: TrailRecord) => r.requestParameters ?? {};
const res = (r: TrailRecord) => r.responseElements ?? {};
/** EC2 records lists as `{ items: [...] }` (its XML protocol); other services as arrays. */
const items = (value: Recorded): Recorded[] => (Array.isArray(value) ? value : Array.isArray(value?.items) ? value.items : []);
/** One member or a list of them (EC2's XML-shaped records hold a single item as an object). */
const listOf = (value: Recorded): Recorded[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value : items(value).length ? items(value) : [value];
const one = (kind: EntityKind, id: unknown, extra: Partial<Entity> = {}): Entity[] =>
  typeof id === 'string' && id !== '' ? [{ kind, id, ...extra }] : [];
const accountOf = (r: TrailRecord) => r.recipientAccountId ?? r.userIdentity?.accountId;

const user = (r: TrailRecord) => one('iam-user', res(r).user?.userName ?? req(r).userName);
const role = (r: TrailRecord) => one('iam-role', res(r).role?.roleName ?? req(r).roleName);
/** A user-scoped credential call names its user, or else acts on the caller itself. */
const targetUser = (r: TrailRecord): string | undefined => req(r).userName ?? r.userIdentity?.userName;
/** A key's user, then the key (its `owner`). */
const keyOfUser = (r: TrailRecord) => {
  const owner = res(r).accessKey?.userName ?? targetUser(r);
  return [...one('iam-user', owner), ...one('iam-access-key', res(r).accessKey?.accessKeyId, { owner })];
};
const principalOf = (r: TrailRecord) =>
  req(r).userName !== undefined ? user(r) : req(r).roleName !== undefined ? role(r) : one('iam-group', req(r).groupName);
const policy = (r: TrailRecord) => one('iam-policy', req(r).policyArn ?? req(r).policyName);
const functionOf = (r: TrailRecord) => one('lambda-function', res(r).functionName ?? req(r).functionName);
const trail = (r: TrailRecord) => one('trail', req(r).name ?? req(r).trailName);
const bucket = (r: TrailRecord) => one('s3-bucket', req(r).bucketName);

/** The CIDRs of an ingress call open to the internet, both the current and the legacy (flat) shapes. */
function openRules(r: TrailRecord): string[] {
  const p = req(r);
  const permissions = items(p.ipPermissions);
  const flat =
    p.cidrIp !== undefined ? [{ ipProtocol: p.ipProtocol, fromPort: p.fromPort, toPort: p.toPort, ipRanges: [{ cidrIp: p.cidrIp }] }] : [];
  return [...permissions, ...flat].flatMap((perm: Recorded) => {
    const ports =
      perm.ipProtocol === '-1'
        ? 'all traffic'
        : `${perm.ipProtocol} ${perm.fromPort}${perm.toPort !== perm.fromPort ? `-${perm.toPort}` : ''}`;
    return (
      [...items(perm.ipRanges).map((x: Recorded) => x.cidrIp), ...items(perm.ipv6Ranges).map((x: Recorded) => x.cidrIpv6)]
        // A /0 prefix is every address, whatever address it is written with.
        .filter((cidr) => typeof cidr === 'string' && cidr.endsWith('/0'))
        .map((cidr) => `${ports} from ${cidr}`)
    );
  });
}

/** Who a snapshot or image attribute change adds (`all` is public). */
function sharedWith(r: TrailRecord): string[] {
  const p = req(r);
  const permission = p.createVolumePermission ?? p.launchPermission;
  return items(permission?.add)
    .map((x: Recorded) => (x.group === 'all' ? 'all' : (x.userId ?? x.group)))
    .filter(Boolean);
}

/** An inline policy that allows something (a Deny-only one, e.g. a responder's quarantine, grants nothing). */
const grants = (r: TrailRecord) => (allowsAnything(req(r).policyDocument) ? 'allows' : undefined);
const trust = (document: (r: TrailRecord) => unknown) => (r: TrailRecord) => {
  const outside = outsidePrincipals(document(r), accountOf(r));
  return outside.length > 0 ? `trusts ${outside.join(', ')}` : undefined;
};

/**
 * THE table: every event the sweep reports, with its category, why a responder cares, and how to
 * read what it created or changed. An event with no row, a read, or a refused call is set aside.
 * Rows of one event are tried in order (the first that applies wins).
 */
export const PERSISTENCE_TABLE: readonly Row[] = [
  // New principals: an identity the attacker controls, unknown to the responders.
  { event: 'CreateUser', category: 'new-principal', reason: 'a new IAM user', entities: user },
  // A new role is a new principal first, whoever it trusts (the reason names an outside account it trusts).
  {
    event: 'CreateRole',
    category: 'new-principal',
    reason: 'a new IAM role that an outside account may assume',
    entities: role,
    when: trust((r) => req(r).assumeRolePolicyDocument),
  },
  { event: 'CreateRole', category: 'new-principal', reason: 'a new IAM role', entities: role },
  {
    event: 'CreateSAMLProvider',
    category: 'new-principal',
    reason: 'a new SAML identity provider (federated sign-in)',
    entities: (r) => one('identity-provider', res(r).sAMLProviderArn ?? req(r).name),
  },
  {
    event: 'CreateOpenIDConnectProvider',
    category: 'new-principal',
    reason: 'a new OIDC identity provider (federated sign-in)',
    entities: (r) => one('identity-provider', res(r).openIDConnectProviderArn ?? req(r).url),
  },
  // New credentials: another way in for an identity.
  {
    event: 'CreateAccessKey',
    category: 'new-credential',
    reason: 'an access key for another user',
    entities: keyOfUser,
    when: (r) => (req(r).userName !== undefined && req(r).userName !== r.userIdentity?.userName ? `for ${req(r).userName}` : undefined),
  },
  {
    event: 'CreateAccessKey',
    category: 'new-credential',
    reason: 'another access key for the compromised user itself (outlives the stolen one)',
    entities: keyOfUser,
  },
  {
    event: 'UpdateAccessKey',
    category: 'new-credential',
    reason: 'an access key reactivated',
    entities: (r) => one('iam-access-key', req(r).accessKeyId, { owner: targetUser(r) }),
    when: (r) => (req(r).status === 'Active' ? 'status Active' : undefined),
  },
  {
    event: 'CreateLoginProfile',
    category: 'new-credential',
    reason: 'a console password for a user',
    entities: (r) => one('iam-user', targetUser(r), { detail: 'console password' }),
  },
  {
    event: 'UpdateLoginProfile',
    category: 'new-credential',
    reason: "a user's console password changed",
    entities: (r) => one('iam-user', targetUser(r), { detail: 'console password' }),
  },
  {
    event: 'UploadSSHPublicKey',
    category: 'new-credential',
    reason: 'an SSH key for CodeCommit',
    entities: (r) => one('iam-user', targetUser(r), { detail: 'SSH public key' }),
  },
  {
    event: 'CreateServiceSpecificCredential',
    category: 'new-credential',
    reason: 'a service-specific credential',
    entities: (r) => one('iam-user', targetUser(r), { detail: `credential for ${req(r).serviceName}` }),
  },
  {
    event: 'CreateKeyPair',
    category: 'new-credential',
    reason: 'an EC2 key pair (SSH to instances launched with it)',
    entities: (r) => one('ec2-key-pair', req(r).keyName),
  },
  {
    event: 'ImportKeyPair',
    category: 'new-credential',
    reason: "the attacker's own public key imported as an EC2 key pair",
    entities: (r) => one('ec2-key-pair', req(r).keyName),
  },
  // Privilege escalation: more permissions for something the attacker holds.
  {
    event: 'AttachUserPolicy',
    category: 'privilege-escalation',
    reason: 'a managed policy attached to a user',
    entities: (r) => [...principalOf(r), ...policy(r)],
  },
  {
    event: 'AttachRolePolicy',
    category: 'privilege-escalation',
    reason: 'a managed policy attached to a role',
    entities: (r) => [...principalOf(r), ...policy(r)],
  },
  {
    event: 'AttachGroupPolicy',
    category: 'privilege-escalation',
    reason: 'a managed policy attached to a group',
    entities: (r) => [...principalOf(r), ...policy(r)],
  },
  { event: 'PutUserPolicy', category: 'privilege-escalation', reason: 'an inline policy on a user', entities: principalOf, when: grants },
  { event: 'PutRolePolicy', category: 'privilege-escalation', reason: 'an inline policy on a role', entities: principalOf, when: grants },
  { event: 'PutGroupPolicy', category: 'privilege-escalation', reason: 'an inline policy on a group', entities: principalOf, when: grants },
  {
    event: 'CreatePolicyVersion',
    category: 'privilege-escalation',
    reason: 'a new default version of a managed policy (everyone it is attached to gets it)',
    entities: policy,
    when: (r) => (req(r).setAsDefault === true || req(r).setAsDefault === 'true' ? 'set as default' : undefined),
  },
  {
    event: 'SetDefaultPolicyVersion',
    category: 'privilege-escalation',
    reason: 'another version of a managed policy made the default',
    entities: (r) => one('iam-policy', req(r).policyArn, { detail: req(r).versionId }),
  },
  {
    event: 'AddUserToGroup',
    category: 'privilege-escalation',
    reason: "a user added to a group (the group's permissions)",
    entities: (r) => [...user(r), ...one('iam-group', req(r).groupName)],
  },
  {
    event: 'DeleteUserPermissionsBoundary',
    category: 'privilege-escalation',
    reason: "a user's permissions boundary removed",
    entities: user,
  },
  {
    event: 'DeleteRolePermissionsBoundary',
    category: 'privilege-escalation',
    reason: "a role's permissions boundary removed",
    entities: role,
  },
  // Trust: who may become a role.
  {
    event: 'UpdateAssumeRolePolicy',
    category: 'trust-change',
    reason: "a role's trust changed to an outside account",
    entities: role,
    when: trust((r) => req(r).policyDocument),
  },
  // Compute the attacker runs.
  { event: 'CreateFunction', category: 'new-compute', reason: 'a new Lambda function', entities: functionOf },
  { event: 'UpdateFunctionCode', category: 'new-compute', reason: "a function's code replaced", entities: functionOf },
  {
    event: 'UpdateFunctionConfiguration',
    category: 'new-compute',
    reason: 'layers put on a function (code, such as an extension, that runs with every invocation)',
    entities: functionOf,
    when: (r) => (listOf(req(r).layers).length > 0 ? listOf(req(r).layers).join(', ') : undefined),
  },
  {
    event: 'RunInstances',
    category: 'new-compute',
    reason: 'EC2 instances launched',
    entities: (r) => items(res(r).instancesSet).flatMap((i: Recorded) => one('ec2-instance', i.instanceId)),
  },
  // Network: reachable from the internet.
  {
    event: 'CreateFunctionUrlConfig',
    category: 'network-exposure',
    reason: 'a function URL anyone can call (AuthType NONE)',
    entities: (r) => one('lambda-function', req(r).functionName ?? res(r).functionArn, { detail: res(r).functionUrl }),
    when: (r) => ((req(r).authType ?? res(r).authType) === 'NONE' ? 'AuthType NONE' : undefined),
  },
  {
    event: 'AddPermission',
    category: 'network-exposure',
    reason: 'a function anyone may invoke (public resource policy)',
    entities: functionOf,
    when: (r) => (req(r).principal === '*' ? 'principal *' : undefined),
  },
  {
    event: 'AuthorizeSecurityGroupIngress',
    category: 'network-exposure',
    reason: 'a security group opened to the internet',
    entities: (r) => one('security-group', req(r).groupId ?? req(r).groupName, { detail: openRules(r).join('; ') }),
    when: (r) => (openRules(r).length > 0 ? openRules(r).join('; ') : undefined),
  },
  // Data shared out.
  {
    event: 'ModifySnapshotAttribute',
    category: 'data-exposure',
    reason: 'an EBS snapshot shared',
    entities: (r) => one('snapshot', req(r).snapshotId, { detail: `shared with ${sharedWith(r).join(', ')}` }),
    when: (r) => (sharedWith(r).length > 0 ? `with ${sharedWith(r).join(', ')}` : undefined),
  },
  {
    event: 'ModifyImageAttribute',
    category: 'data-exposure',
    reason: 'an AMI shared',
    entities: (r) => one('image', req(r).imageId, { detail: `shared with ${sharedWith(r).join(', ')}` }),
    when: (r) => (sharedWith(r).length > 0 ? `with ${sharedWith(r).join(', ')}` : undefined),
  },
  {
    event: 'PutBucketPolicy',
    category: 'data-exposure',
    reason: 'a bucket policy granting an outside account or everyone',
    entities: bucket,
    when: (r) => {
      // Everyone (`*`) is outside the account too.
      const outside = outsidePrincipals(req(r).bucketPolicy ?? req(r).policy, accountOf(r));
      return outside.length > 0 ? `grants ${outside.join(', ')}` : undefined;
    },
  },
  { event: 'PutBucketAcl', category: 'data-exposure', reason: "a bucket's ACL changed", entities: bucket },
  {
    event: 'PutBucketPublicAccessBlock',
    category: 'data-exposure',
    reason: "a bucket's Block Public Access turned off",
    entities: bucket,
    when: (r) => {
      const off = Object.entries(req(r).PublicAccessBlockConfiguration ?? {})
        .filter(([, v]) => v === false)
        .map(([k]) => k);
      return off.length > 0 ? `${off.join(', ')} false` : undefined;
    },
  },
  { event: 'DeleteBucketPublicAccessBlock', category: 'data-exposure', reason: "a bucket's Block Public Access removed", entities: bucket },
  { event: 'DeletePublicAccessBlock', category: 'data-exposure', reason: "a bucket's Block Public Access removed", entities: bucket },
  // Logging: the attacker's tracks.
  { event: 'StopLogging', category: 'logging-tampering', reason: 'a trail stopped', entities: trail },
  { event: 'DeleteTrail', category: 'logging-tampering', reason: 'a trail deleted', entities: trail },
  { event: 'UpdateTrail', category: 'logging-tampering', reason: "a trail's destination or scope changed", entities: trail },
  {
    event: 'PutEventSelectors',
    category: 'logging-tampering',
    reason: "a trail's event selectors changed (events it no longer logs)",
    entities: (r) => one('trail', req(r).trailName),
  },
  {
    event: 'DeleteDetector',
    category: 'logging-tampering',
    reason: 'a GuardDuty detector deleted',
    entities: (r) => one('detector', req(r).detectorId),
  },
  {
    event: 'DeleteFlowLogs',
    category: 'logging-tampering',
    reason: 'VPC flow logs deleted',
    entities: (r) =>
      // Recorded as `DeleteFlowLogsRequest.FlowLogId` (one `{ content }` or a list of them).
      listOf(req(r).DeleteFlowLogsRequest?.FlowLogId ?? req(r).flowLogIds).flatMap((id: Recorded) =>
        one('flow-log', typeof id === 'string' ? id : id?.content),
      ),
  },
  {
    event: 'StopConfigurationRecorder',
    category: 'logging-tampering',
    reason: 'AWS Config recording stopped',
    entities: (r) => one('config-recorder', req(r).configurationRecorderName),
  },
  {
    event: 'DeleteConfigurationRecorder',
    category: 'logging-tampering',
    reason: 'AWS Config recorder deleted',
    entities: (r) => one('config-recorder', req(r).configurationRecorderName),
  },
];
