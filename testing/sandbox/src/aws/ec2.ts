import { awsError } from './errors';
import { DEFAULT_ENABLED_REGIONS } from './state';
import { CallContext, ServiceHandlers, newId } from './context';
import {
  DEFAULT_CONNECTION_TRACKING,
  Ec2RegionState,
  InstanceState,
  NetworkInterfaceState,
  SecurityGroupRule,
  SecurityGroupState,
  newEc2Region,
} from './ec2-state';

export function ec2Region(context: CallContext): Ec2RegionState {
  let region = context.account.ec2.get(context.region);
  if (!region) {
    region = newEc2Region();
    context.account.ec2.set(context.region, region);
  }
  return region;
}

const hex = (n: number) => newId('', n, '0123456789abcdef');

function instance(region: Ec2RegionState, id: string): InstanceState {
  const found = region.instances.get(id);
  if (!found) throw awsError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`, 400);
  return found;
}

function networkInterface(region: Ec2RegionState, id: string): NetworkInterfaceState {
  const found = region.interfaces.get(id);
  if (!found) throw awsError('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${id}' does not exist`, 400);
  return found;
}

function securityGroup(region: Ec2RegionState, id: string): SecurityGroupState {
  const found = region.securityGroups.get(id);
  if (!found) throw awsError('InvalidGroup.NotFound', `The security group '${id}' does not exist`, 400);
  return found;
}

const tagList = (tags: Map<string, string>) => [...tags].map(([Key, Value]) => ({ Key, Value }));

interface IpPermission {
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: Array<{ CidrIp?: string }>;
  Ipv6Ranges?: Array<{ CidrIpv6?: string }>;
}

/** Flattens IpPermissions into one rule per CIDR. */
function rulesOf(permissions: IpPermission[] = []): SecurityGroupRule[] {
  return permissions.flatMap((p) => {
    const protocol = p.IpProtocol ?? '-1';
    const fromPort = protocol === '-1' ? -1 : (p.FromPort ?? -1);
    const toPort = protocol === '-1' ? -1 : (p.ToPort ?? -1);
    const cidrs = [...(p.IpRanges ?? []).map((r) => r.CidrIp ?? ''), ...(p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6 ?? '')];
    return cidrs.map((cidr) => ({ protocol, fromPort, toPort, cidr }));
  });
}

const sameRule = (a: SecurityGroupRule, b: SecurityGroupRule) =>
  a.protocol === b.protocol && a.fromPort === b.fromPort && a.toPort === b.toPort && a.cidr === b.cidr;

function permissionsOf(rules: SecurityGroupRule[]): IpPermission[] {
  return rules.map((r) => ({
    IpProtocol: r.protocol,
    ...(r.protocol === '-1' ? {} : { FromPort: r.fromPort, ToPort: r.toPort }),
    ...(r.cidr.includes(':') ? { Ipv6Ranges: [{ CidrIpv6: r.cidr }], IpRanges: [] } : { IpRanges: [{ CidrIp: r.cidr }], Ipv6Ranges: [] }),
  }));
}

function authorize(group: SecurityGroupState, direction: 'ingress' | 'egress', permissions: IpPermission[]) {
  const rules = rulesOf(permissions);
  for (const rule of rules)
    if (group[direction].some((r) => sameRule(r, rule)))
      throw awsError('InvalidPermission.Duplicate', `the specified rule "peer: ${rule.cidr}, ${rule.protocol}" already exists`, 400);
  group[direction].push(...rules);
  return { Return: true };
}

function revoke(group: SecurityGroupState, direction: 'ingress' | 'egress', permissions: IpPermission[]) {
  const rules = rulesOf(permissions);
  for (const rule of rules)
    if (!group[direction].some((r) => sameRule(r, rule)))
      throw awsError('InvalidPermission.NotFound', `The specified rule does not exist in this security group.`, 400);
  group[direction] = group[direction].filter((r) => !rules.some((rule) => sameRule(r, rule)));
  return { Return: true };
}

const trackingOf = (eni: NetworkInterfaceState) => eni.tracking ?? DEFAULT_CONNECTION_TRACKING;

/** An interface as a tag target (CreateTags, DeleteTags). */
function interfaceTags(region: Ec2RegionState, id: string): { tags: Map<string, string> } {
  const eni = networkInterface(region, id);
  return { tags: (eni.tags ??= new Map()) };
}

function interfaceShape(region: Ec2RegionState, eni: NetworkInterfaceState) {
  return {
    NetworkInterfaceId: eni.id,
    VpcId: eni.vpcId,
    SubnetId: eni.subnetId,
    Status: eni.attachment ? 'in-use' : 'available',
    InterfaceType: 'interface',
    Groups: eni.groups.map((id) => ({ GroupId: id, GroupName: region.securityGroups.get(id)?.name })),
    ConnectionTrackingConfiguration: { ...trackingOf(eni) },
    RequesterManaged: eni.managedBy !== undefined,
    ...(eni.managedBy ? { Operator: { Managed: true, Principal: eni.managedBy } } : {}),
    ...(eni.attachment
      ? {
          Attachment: {
            AttachmentId: eni.attachment.attachmentId,
            DeviceIndex: eni.attachment.deviceIndex,
            InstanceId: eni.attachment.instanceId,
            Status: 'attached',
          },
        }
      : {}),
  };
}

/** The instance-profile association of an instance, as EC2 describes it. */
export const associationIdOf = (i: InstanceState) => `iip-assoc-${i.id.slice(2)}`;
const associationShape = (i: InstanceState, State: string) => ({
  AssociationId: associationIdOf(i),
  InstanceId: i.id,
  IamInstanceProfile: { Arn: i.profileArn, Id: 'AIPA' + i.id.slice(2, 10).toUpperCase() },
  State,
});
/** The instance an association id names. */
function associated(region: Ec2RegionState, associationId: string): InstanceState {
  const found = [...region.instances.values()].find((i) => i.profileArn && associationIdOf(i) === associationId);
  if (!found) throw awsError('InvalidAssociationID.NotFound', `An association ID '${associationId}' does not exist`, 400);
  return found;
}
const profileArnOf = ({ account }: CallContext, profile: { Arn?: string; Name?: string }) =>
  profile.Arn ?? `arn:${account.partition}:iam::${account.id}:instance-profile/${profile.Name}`;

function instanceShape(region: Ec2RegionState, i: InstanceState) {
  const interfaces = [...region.interfaces.values()].filter((e) => e.attachment?.instanceId === i.id);
  return {
    InstanceId: i.id,
    State: { Name: i.state, Code: { pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 }[i.state] },
    VpcId: i.vpcId,
    SubnetId: i.subnetId,
    Tags: tagList(i.tags),
    ...(i.profileArn ? { IamInstanceProfile: { Arn: i.profileArn, Id: 'AIPA' + i.id.slice(2, 10).toUpperCase() } } : {}),
    BlockDeviceMappings: i.volumes.map((VolumeId, n) => ({
      DeviceName: `/dev/xvd${String.fromCharCode(97 + n)}`,
      Ebs: { VolumeId, Status: 'attached' },
    })),
    NetworkInterfaces: i.state === 'terminated' ? [] : interfaces.map((e) => interfaceShape(region, e)),
    SecurityGroups: interfaces.flatMap((e) => e.groups).map((id) => ({ GroupId: id, GroupName: region.securityGroups.get(id)?.name })),
  };
}

type Filter = { Name?: string; Values?: string[] };
function matches(filters: Filter[] | undefined, value: (name: string) => string | string[] | undefined) {
  return (filters ?? []).every((f) => {
    const actual = value(f.Name ?? '');
    const values = Array.isArray(actual) ? actual : actual === undefined ? [] : [actual];
    return values.some((v) => (f.Values ?? []).includes(v));
  });
}

function securityGroupShape(g: SecurityGroupState) {
  return {
    GroupId: g.id,
    GroupName: g.name,
    Description: g.description,
    VpcId: g.vpcId,
    IpPermissions: permissionsOf(g.ingress),
    IpPermissionsEgress: permissionsOf(g.egress),
    Tags: tagList(g.tags),
  };
}

function newSecurityGroup(
  region: Ec2RegionState,
  vpcId: string,
  name: string,
  description: string,
  tags: Map<string, string>,
): SecurityGroupState {
  const group: SecurityGroupState = {
    id: `sg-${hex(17)}`,
    name,
    description,
    vpcId,
    ingress: [],
    // A new group allows all outbound traffic until that rule is revoked, as in AWS.
    egress: [{ protocol: '-1', fromPort: -1, toPort: -1, cidr: '0.0.0.0/0' }],
    tags,
  };
  region.securityGroups.set(group.id, group);
  return group;
}

const tagsFrom = (specs: Array<{ ResourceType?: string; Tags?: Array<{ Key?: string; Value?: string }> }> | undefined, type: string) =>
  new Map(
    (specs ?? [])
      .filter((s) => s.ResourceType === type)
      .flatMap((s) => s.Tags ?? [])
      .map((t) => [t.Key ?? '', t.Value ?? '']),
  );

/** The EC2 operations lockdown calls, with AWS's semantics, and the fixtures the drill creates. */
export const ec2Handlers: ServiceHandlers = {
  CreateVpc: (_input, context) => {
    const VpcId = `vpc-${hex(17)}`;
    const region = ec2Region(context);
    region.vpcs.add(VpcId);
    newSecurityGroup(region, VpcId, 'default', 'default VPC security group', new Map());
    return { Vpc: { VpcId, State: 'available' } };
  },
  CreateSubnet: ({ VpcId }, context) => {
    if (!ec2Region(context).vpcs.has(VpcId)) throw awsError('InvalidVpcID.NotFound', `The vpc ID '${VpcId}' does not exist`, 400);
    return { Subnet: { SubnetId: `subnet-${VpcId.slice(4, 12)}${hex(9)}`, VpcId } };
  },
  CreateNetworkInterface: ({ SubnetId, Groups, VpcId }, context) => {
    const region = ec2Region(context);
    const eni: NetworkInterfaceState = {
      id: `eni-${hex(17)}`,
      subnetId: SubnetId,
      vpcId: VpcId ?? subnetVpc(region, SubnetId),
      groups: Groups ?? [],
    };
    if (eni.groups.length === 0) eni.groups = [defaultGroup(region, eni.vpcId)];
    region.interfaces.set(eni.id, eni);
    return { NetworkInterface: interfaceShape(region, eni) };
  },
  RunInstances: ({ SubnetId, SecurityGroupIds, IamInstanceProfile, TagSpecifications, DisableApiTermination }, context) => {
    const region = ec2Region(context);
    const vpcId = subnetVpc(region, SubnetId);
    const id = `i-${hex(17)}`;
    const eni: NetworkInterfaceState = {
      id: `eni-${hex(17)}`,
      subnetId: SubnetId,
      vpcId,
      groups: SecurityGroupIds?.length ? SecurityGroupIds : [defaultGroup(region, vpcId)],
      attachment: { instanceId: id, deviceIndex: 0, attachmentId: `eni-attach-${hex(17)}` },
    };
    region.interfaces.set(eni.id, eni);
    const i: InstanceState = {
      id,
      state: 'running',
      vpcId,
      subnetId: SubnetId,
      terminationProtection: DisableApiTermination ?? false,
      tags: tagsFrom(TagSpecifications, 'instance'),
      volumes: [`vol-${hex(17)}`],
      ...(IamInstanceProfile?.Arn ? { profileArn: IamInstanceProfile.Arn } : {}),
    };
    region.instances.set(id, i);
    return { Instances: [instanceShape(region, i)] };
  },
  AttachNetworkInterface: ({ NetworkInterfaceId, InstanceId, DeviceIndex }, context) => {
    const region = ec2Region(context);
    const eni = networkInterface(region, NetworkInterfaceId);
    instance(region, InstanceId);
    eni.attachment = { instanceId: InstanceId, deviceIndex: DeviceIndex, attachmentId: `eni-attach-${hex(17)}` };
    return { AttachmentId: eni.attachment.attachmentId };
  },
  DetachNetworkInterface: ({ AttachmentId }, context) => {
    const eni = [...ec2Region(context).interfaces.values()].find((n) => n.attachment?.attachmentId === AttachmentId);
    if (!eni) throw awsError('InvalidAttachmentID.NotFound', `The attachment ID '${AttachmentId}' does not exist`, 400);
    delete eni.attachment;
    return {};
  },
  // One association per instance, named after it (an instance has at most one instance profile).
  AssociateIamInstanceProfile: ({ InstanceId, IamInstanceProfile }, context) => {
    const i = instance(ec2Region(context), InstanceId);
    if (i.profileArn) throw awsError('IncorrectState', `There is an existing association for instance ${InstanceId}`, 400);
    i.profileArn = profileArnOf(context, IamInstanceProfile);
    return { IamInstanceProfileAssociation: associationShape(i, 'associating') };
  },
  ReplaceIamInstanceProfileAssociation: ({ AssociationId, IamInstanceProfile }, context) => {
    const i = associated(ec2Region(context), AssociationId);
    i.profileArn = profileArnOf(context, IamInstanceProfile);
    return { IamInstanceProfileAssociation: associationShape(i, 'associating') };
  },
  DisassociateIamInstanceProfile: ({ AssociationId }, context) => {
    const i = associated(ec2Region(context), AssociationId);
    const shape = associationShape(i, 'disassociating');
    delete i.profileArn;
    return { IamInstanceProfileAssociation: shape };
  },
  DescribeIamInstanceProfileAssociations: (_input, context) => ({
    IamInstanceProfileAssociations: [...ec2Region(context).instances.values()]
      .filter((i) => i.profileArn)
      .map((i) => associationShape(i, 'associated')),
  }),
  StopInstances: ({ InstanceIds }, context) => {
    for (const id of InstanceIds) instance(ec2Region(context), id).state = 'stopped';
    return {};
  },
  TerminateInstances: ({ InstanceIds }, context) => {
    for (const id of InstanceIds) {
      const i = instance(ec2Region(context), id);
      if (i.terminationProtection)
        throw awsError(
          'OperationNotPermitted',
          `The instance '${id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
          400,
        );
      i.state = 'terminated';
    }
    return {};
  },

  /** The Regions enabled for the account (AllRegions and filters are not simulated), in no particular order as AWS says. */
  DescribeRegions: (_input, context) => ({
    Regions: [...context.account.regions].map((RegionName) => ({
      RegionName,
      Endpoint: `ec2.${RegionName}.amazonaws.com`,
      OptInStatus: (DEFAULT_ENABLED_REGIONS as readonly string[]).includes(RegionName) ? 'opt-in-not-required' : 'opted-in',
    })),
  }),
  DescribeInstances: ({ InstanceIds }, context) => {
    const region = ec2Region(context);
    const instances = (InstanceIds ?? [...region.instances.keys()]).map((id: string) => instance(region, id));
    return {
      Reservations: instances.map((i: InstanceState) => ({ ReservationId: `r-${i.id.slice(2)}`, Instances: [instanceShape(region, i)] })),
    };
  },
  DescribeInstanceAttribute: ({ InstanceId, Attribute }, context) => {
    const i = instance(ec2Region(context), InstanceId);
    if (Attribute !== 'disableApiTermination')
      throw awsError('InvalidParameterValue', `the sandbox only describes disableApiTermination`, 400);
    return { InstanceId, DisableApiTermination: { Value: i.terminationProtection } };
  },
  ModifyInstanceAttribute: ({ InstanceId, DisableApiTermination, Groups }, context) => {
    const region = ec2Region(context);
    const i = instance(region, InstanceId);
    if (Groups) {
      const interfaces = [...region.interfaces.values()].filter((e) => e.attachment?.instanceId === InstanceId);
      if (interfaces.length > 1)
        throw awsError(
          'InvalidInstanceID',
          `There are multiple interfaces attached to instance '${InstanceId}'. Please specify an interface ID for the operation instead.`,
          400,
        );
      interfaces[0]!.groups = [...Groups];
    }
    if (DisableApiTermination) i.terminationProtection = Boolean(DisableApiTermination.Value);
    return {};
  },
  DescribeNetworkInterfaces: ({ NetworkInterfaceIds, Filters }, context) => {
    const region = ec2Region(context);
    const all = NetworkInterfaceIds
      ? NetworkInterfaceIds.map((id: string) => networkInterface(region, id))
      : [...region.interfaces.values()];
    return {
      NetworkInterfaces: all
        .filter((e: NetworkInterfaceState) =>
          matches(Filters, (name) =>
            name === 'attachment.instance-id' ? e.attachment?.instanceId : name === 'group-id' ? e.groups : undefined,
          ),
        )
        .map((e: NetworkInterfaceState) => ({ ...interfaceShape(region, e), TagSet: tagList(e.tags ?? new Map()) })),
    };
  },
  ModifyNetworkInterfaceAttribute: ({ NetworkInterfaceId, Groups, ConnectionTrackingSpecification }, context) => {
    const region = ec2Region(context);
    const eni = networkInterface(region, NetworkInterfaceId);
    if (Groups && ConnectionTrackingSpecification)
      throw awsError('InvalidParameterCombination', 'Only one attribute can be modified at a time', 400);
    if (Groups) {
      if (Groups.length === 0) throw awsError('InvalidParameterValue', 'A network interface needs at least one security group', 400);
      for (const id of Groups) {
        const group = securityGroup(region, id);
        if (group.vpcId !== eni.vpcId)
          throw awsError('InvalidGroup.NotFound', `The security group '${id}' does not exist in VPC '${eni.vpcId}'`, 400);
      }
      eni.groups = [...Groups];
    }
    if (ConnectionTrackingSpecification) {
      const next = { ...trackingOf(eni), ...ConnectionTrackingSpecification };
      if (next.TcpEstablishedTimeout < 60 || next.UdpStreamTimeout < 60 || next.UdpTimeout < 30)
        throw awsError('InvalidParameterValue', 'Connection tracking timeouts are below their minimums', 400);
      eni.tracking = next;
    }
    return {};
  },
  DescribeSecurityGroups: ({ GroupIds, Filters }, context) => {
    const region = ec2Region(context);
    const groups = GroupIds ? GroupIds.map((id: string) => securityGroup(region, id)) : [...region.securityGroups.values()];
    return {
      SecurityGroups: groups
        .filter((g: SecurityGroupState) =>
          matches(Filters, (name) => {
            if (name === 'vpc-id') return g.vpcId;
            if (name === 'group-name') return g.name;
            if (name === 'group-id') return g.id;
            if (name.startsWith('tag:')) return g.tags.get(name.slice(4));
            return undefined;
          }),
        )
        .map(securityGroupShape),
    };
  },
  CreateSecurityGroup: ({ GroupName, Description, VpcId, TagSpecifications }, context) => {
    const region = ec2Region(context);
    if (!region.vpcs.has(VpcId)) throw awsError('InvalidVpcID.NotFound', `The vpc ID '${VpcId}' does not exist`, 400);
    if ([...region.securityGroups.values()].some((g) => g.vpcId === VpcId && g.name === GroupName))
      throw awsError('InvalidGroup.Duplicate', `The security group '${GroupName}' already exists for VPC '${VpcId}'`, 400);
    const group = newSecurityGroup(region, VpcId, GroupName, Description, tagsFrom(TagSpecifications, 'security-group'));
    return { GroupId: group.id, Tags: tagList(group.tags) };
  },
  DeleteSecurityGroup: ({ GroupId }, context) => {
    const region = ec2Region(context);
    securityGroup(region, GroupId);
    if ([...region.interfaces.values()].some((e) => e.groups.includes(GroupId)))
      throw awsError('DependencyViolation', `resource ${GroupId} has a dependent object`, 400);
    region.securityGroups.delete(GroupId);
    return { Return: true, GroupId };
  },
  AuthorizeSecurityGroupIngress: ({ GroupId, IpPermissions }, context) =>
    authorize(securityGroup(ec2Region(context), GroupId), 'ingress', IpPermissions),
  AuthorizeSecurityGroupEgress: ({ GroupId, IpPermissions }, context) =>
    authorize(securityGroup(ec2Region(context), GroupId), 'egress', IpPermissions),
  RevokeSecurityGroupIngress: ({ GroupId, IpPermissions }, context) =>
    revoke(securityGroup(ec2Region(context), GroupId), 'ingress', IpPermissions),
  RevokeSecurityGroupEgress: ({ GroupId, IpPermissions }, context) =>
    revoke(securityGroup(ec2Region(context), GroupId), 'egress', IpPermissions),
  CreateTags: ({ Resources, Tags }, context) => {
    const region = ec2Region(context);
    for (const id of Resources as string[]) {
      const target = id.startsWith('i-')
        ? instance(region, id)
        : id.startsWith('sg-')
          ? securityGroup(region, id)
          : id.startsWith('eni-')
            ? interfaceTags(region, id)
            : region.snapshots.get(id);
      if (!target) throw awsError('InvalidID', `The ID '${id}' is not valid`, 400);
      for (const { Key, Value } of Tags) target.tags.set(Key, Value ?? '');
    }
    return {};
  },
  DeleteTags: ({ Resources, Tags }, context) => {
    const region = ec2Region(context);
    for (const id of Resources as string[]) {
      const target = id.startsWith('i-')
        ? instance(region, id)
        : id.startsWith('eni-')
          ? interfaceTags(region, id)
          : securityGroup(region, id);
      for (const { Key } of Tags) target.tags.delete(Key);
    }
    return {};
  },
  CreateSnapshot: ({ VolumeId, TagSpecifications }, context) => {
    const region = ec2Region(context);
    if (![...region.instances.values()].some((i) => i.volumes.includes(VolumeId)))
      throw awsError('InvalidVolume.NotFound', `The volume '${VolumeId}' does not exist.`, 400);
    const snapshot = { id: `snap-${hex(17)}`, volumeId: VolumeId, tags: tagsFrom(TagSpecifications, 'snapshot') };
    region.snapshots.set(snapshot.id, snapshot);
    return { SnapshotId: snapshot.id, VolumeId, State: 'pending', Tags: tagList(snapshot.tags) };
  },
};

function subnetVpc(region: Ec2RegionState, subnetId: string): string {
  const vpc = [...region.vpcs].find((v) => subnetId.startsWith(`subnet-${v.slice(4, 12)}`));
  if (!vpc) throw awsError('InvalidSubnetID.NotFound', `The subnet ID '${subnetId}' does not exist`, 400);
  return vpc;
}

function defaultGroup(region: Ec2RegionState, vpcId: string): string {
  return [...region.securityGroups.values()].find((g) => g.vpcId === vpcId && g.name === 'default')!.id;
}
