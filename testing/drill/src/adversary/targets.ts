import {
  DeleteTagsCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  ModifyNetworkInterfaceAttributeCommand,
} from '@aws-sdk/client-ec2';
import {
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DeleteUserPermissionsBoundaryCommand,
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
  UntagRoleCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import {
  GetFunctionConcurrencyCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  ListTagsCommand,
  PutFunctionConcurrencyCommand,
  UntagResourceCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { CONTAINMENT_TAG, GUARD_TAG, LOCKDOWN_NAME_PREFIX } from '@lockdown/contracts';
import { REGION } from '../drill-accounts';

/** An attacker's clients, signed with the credentials it holds. */
export interface AttackerClients {
  iam: IAMClient;
  lambda: LambdaClient;
  ec2: EC2Client;
}

export type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** The attacker's clients with credentials it holds: one attempt per call, as a script polling would. */
export const clientsFor = (credentials: Credentials): AttackerClients => {
  const config = { region: REGION, credentials, maxAttempts: 1 };
  return { iam: new IAMClient(config), lambda: new LambdaClient(config), ec2: new EC2Client(config) };
};

/** One lockdown change an attacker can undo: what it is, and the call that undoes it. */
export interface Undo {
  what: string;
  call: () => Promise<unknown>;
}

/** What an attacker knows of a compromised entity: how to read lockdown's changes off it, and undo each. */
export type Target = (c: AttackerClients) => Promise<Undo[]>;

const AWS_DENY_ALL = 'arn:aws:iam::aws:policy/AWSDenyAll';
const isLockdown = (name: string) => name.startsWith(LOCKDOWN_NAME_PREFIX);

/** A role's lockdown policies (inline, AWSDenyAll attached or as its boundary) and tags, each with its undo. */
async function roleUndos(iam: IAMClient, RoleName: string, tagKeys: string[]): Promise<Undo[]> {
  const [inline, attached, role] = await Promise.all([
    iam.send(new ListRolePoliciesCommand({ RoleName })),
    iam.send(new ListAttachedRolePoliciesCommand({ RoleName })),
    iam.send(new GetRoleCommand({ RoleName })),
  ]);
  return [
    ...(inline.PolicyNames ?? []).filter(isLockdown).map((PolicyName) => ({
      what: `delete ${RoleName}'s ${PolicyName}`,
      call: () => iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName })),
    })),
    ...(attached.AttachedPolicies ?? [])
      .filter((p) => p.PolicyArn === AWS_DENY_ALL)
      .map(() => ({
        what: `detach AWSDenyAll from ${RoleName}`,
        call: () => iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn: AWS_DENY_ALL })),
      })),
    ...(role.Role?.PermissionsBoundary?.PermissionsBoundaryArn === AWS_DENY_ALL
      ? [
          {
            what: `delete ${RoleName}'s AWSDenyAll boundary`,
            call: () => iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName })),
          },
        ]
      : []),
    ...(role.Role?.Tags ?? [])
      .filter((t) => tagKeys.includes(t.Key!))
      .map((t) => ({
        what: `untag ${RoleName} ${t.Key}`,
        call: () => iam.send(new UntagRoleCommand({ RoleName, TagKeys: [t.Key!] })),
      })),
  ];
}

/** An IAM user: its lockdown policies (AWSDenyAll as its boundary too), its tag, and every key lockdown deactivated (the attacker's was active). */
export const userTarget =
  (UserName: string, activeKeys: string[]): Target =>
  async ({ iam }) => {
    const [inline, attached, keys, user] = await Promise.all([
      iam.send(new ListUserPoliciesCommand({ UserName })),
      iam.send(new ListAttachedUserPoliciesCommand({ UserName })),
      iam.send(new ListAccessKeysCommand({ UserName })),
      iam.send(new GetUserCommand({ UserName })),
    ]);
    return [
      ...(inline.PolicyNames ?? []).filter(isLockdown).map((PolicyName) => ({
        what: `delete ${PolicyName}`,
        call: () => iam.send(new DeleteUserPolicyCommand({ UserName, PolicyName })),
      })),
      ...(attached.AttachedPolicies ?? [])
        .filter((p) => p.PolicyArn === AWS_DENY_ALL)
        .map(() => ({
          what: 'detach AWSDenyAll',
          call: () => iam.send(new DetachUserPolicyCommand({ UserName, PolicyArn: AWS_DENY_ALL })),
        })),
      ...(user.User?.PermissionsBoundary?.PermissionsBoundaryArn === AWS_DENY_ALL
        ? [{ what: 'delete the AWSDenyAll boundary', call: () => iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName })) }]
        : []),
      ...(keys.AccessKeyMetadata ?? [])
        .filter((k) => k.Status === 'Inactive' && activeKeys.includes(k.AccessKeyId!))
        .map((k) => ({
          what: `reactivate key ${k.AccessKeyId}`,
          call: () => iam.send(new UpdateAccessKeyCommand({ UserName, AccessKeyId: k.AccessKeyId!, Status: 'Active' })),
        })),
      ...(user.User?.Tags ?? [])
        .filter((t) => t.Key === CONTAINMENT_TAG)
        .map(() => ({
          what: `untag ${CONTAINMENT_TAG}`,
          call: () => iam.send(new UntagUserCommand({ UserName, TagKeys: [CONTAINMENT_TAG] })),
        })),
    ];
  };

export const roleTarget =
  (roleName: string): Target =>
  ({ iam }) =>
    roleUndos(iam, roleName, [CONTAINMENT_TAG]);

/** A function (by ARN): its concurrency and mappings back, its role's deny and guard tag gone, its own tag gone. */
export const functionTarget =
  (functionArn: string, executionRole: string, concurrency: number): Target =>
  async ({ iam, lambda }) => {
    const [reserved, mappings, tags, role] = await Promise.all([
      lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: functionArn })),
      lambda.send(new ListEventSourceMappingsCommand({ FunctionName: functionArn })),
      lambda.send(new ListTagsCommand({ Resource: functionArn })),
      roleUndos(iam, executionRole, [GUARD_TAG]),
    ]);
    return [
      ...(reserved.ReservedConcurrentExecutions === 0
        ? [
            {
              what: `raise concurrency to ${concurrency}`,
              call: () =>
                lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: functionArn, ReservedConcurrentExecutions: concurrency })),
            },
          ]
        : []),
      ...(mappings.EventSourceMappings ?? [])
        .filter((m) => m.State === 'Disabled' || m.State === 'Disabling')
        .map((m) => ({
          what: `enable mapping ${m.UUID}`,
          call: () => lambda.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID!, Enabled: true })),
        })),
      ...(CONTAINMENT_TAG in (tags.Tags ?? {})
        ? [
            {
              what: `untag ${CONTAINMENT_TAG}`,
              call: () => lambda.send(new UntagResourceCommand({ Resource: functionArn, TagKeys: [CONTAINMENT_TAG] })),
            },
          ]
        : []),
      ...role,
    ];
  };

/** An instance: its interfaces back in their groups, termination protection off, its role's deny and the tags gone. */
export const instanceTarget =
  (InstanceId: string, groups: Record<string, string[]>, profileRole: string): Target =>
  async ({ iam, ec2 }) => {
    const [interfaces, described, protection, role] = await Promise.all([
      ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [InstanceId] }] })),
      ec2.send(new DescribeInstancesCommand({ InstanceIds: [InstanceId] })),
      ec2.send(new DescribeInstanceAttributeCommand({ InstanceId, Attribute: 'disableApiTermination' })),
      roleUndos(iam, profileRole, [GUARD_TAG]),
    ]);
    const tagged = [
      ...(described.Reservations?.[0]?.Instances?.[0]?.Tags?.some((t) => t.Key === CONTAINMENT_TAG) ? [InstanceId] : []),
      ...(interfaces.NetworkInterfaces ?? [])
        .filter((n) => n.TagSet?.some((t) => t.Key === CONTAINMENT_TAG))
        .map((n) => n.NetworkInterfaceId!),
    ];
    return [
      ...(interfaces.NetworkInterfaces ?? [])
        .filter((n) => {
          const original = groups[n.NetworkInterfaceId!];
          return original && (n.Groups ?? []).map((g) => g.GroupId).join() !== original.join();
        })
        .map((n) => ({
          what: `move ${n.NetworkInterfaceId} back to its groups`,
          call: () =>
            ec2.send(
              new ModifyNetworkInterfaceAttributeCommand({
                NetworkInterfaceId: n.NetworkInterfaceId!,
                Groups: groups[n.NetworkInterfaceId!],
              }),
            ),
        })),
      ...(protection.DisableApiTermination?.Value
        ? [
            {
              what: 'turn termination protection off',
              call: () => ec2.send(new ModifyInstanceAttributeCommand({ InstanceId, DisableApiTermination: { Value: false } })),
            },
          ]
        : []),
      ...tagged.map((id) => ({
        what: `untag ${id} ${CONTAINMENT_TAG}`,
        call: () => ec2.send(new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: CONTAINMENT_TAG }] })),
      })),
      ...role,
    ];
  };
