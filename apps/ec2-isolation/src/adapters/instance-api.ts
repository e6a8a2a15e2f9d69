import {
  CreateSnapshotCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  EC2Client,
  Instance,
  ModifyInstanceAttributeCommand,
  ModifyNetworkInterfaceAttributeCommand,
} from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, IAMClient } from '@aws-sdk/client-iam';
import { RoleInlinePolicies } from '@lockdown/aws';
import { ConnectionTracking } from '../domain/observed';
import type { AutoScalingMembership } from './auto-scaling-membership';
import type { OptionApis } from './option-apis';
import type { TargetGroupMembership } from './target-group-membership';

/** The EC2 and IAM calls ec2-isolation makes on one instance. */
export class InstanceApi {
  readonly rolePolicies: RoleInlinePolicies;

  constructor(
    readonly ec2: EC2Client,
    readonly iam: IAMClient,
    readonly instanceId: string,
    private readonly options: OptionApis = {},
  ) {
    this.rolePolicies = new RoleInlinePolicies(iam);
  }

  get detachesFromAutoScaling(): boolean {
    return this.options.autoScaling !== undefined;
  }

  get deregistersTargets(): boolean {
    return this.options.targetGroups !== undefined;
  }

  private scaling(): Promise<AutoScalingMembership> {
    if (!this.options.autoScaling) throw new Error('the Auto Scaling option is off: no Auto Scaling client');
    return this.options.autoScaling();
  }

  private targets(): Promise<TargetGroupMembership> {
    if (!this.options.targetGroups) throw new Error('the load-balancer option is off: no ELB client');
    return this.options.targetGroups();
  }

  autoScalingGroup = async () => (await this.scaling()).group();
  detachFromGroup = async (groupName: string) => (await this.scaling()).detach(groupName);
  attachToGroup = async (groupName: string) => (await this.scaling()).attach(groupName);

  targetRegistrations = async () => (await this.targets()).registrations();
  deregisterTarget = async (targetGroupArn: string, port: number) => (await this.targets()).deregister(targetGroupArn, port);
  registerTarget = async (targetGroupArn: string, port: number) => (await this.targets()).register(targetGroupArn, port);

  async describe(): Promise<Instance> {
    const { Reservations } = await this.ec2.send(new DescribeInstancesCommand({ InstanceIds: [this.instanceId] }));
    const instance = Reservations?.[0]?.Instances?.[0];
    if (!instance)
      throw Object.assign(new Error(`The instance ID '${this.instanceId}' does not exist`), { name: 'InvalidInstanceID.NotFound' });
    return instance;
  }

  /** The tags of each interface attached to the instance (DescribeInstances does not show them). */
  async interfaceTags(): Promise<Record<string, Record<string, string>>> {
    const { NetworkInterfaces = [] } = await this.ec2.send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [this.instanceId] }] }),
    );
    return Object.fromEntries(
      NetworkInterfaces.map((n) => [
        n.NetworkInterfaceId ?? '',
        Object.fromEntries((n.TagSet ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
      ]),
    );
  }

  async terminationProtection(): Promise<boolean> {
    const r = await this.ec2.send(
      new DescribeInstanceAttributeCommand({ InstanceId: this.instanceId, Attribute: 'disableApiTermination' }),
    );
    return r.DisableApiTermination?.Value ?? false;
  }

  async profileRoles(profileArn: string): Promise<string[]> {
    const name = profileArn.slice(profileArn.lastIndexOf('/') + 1);
    const { InstanceProfile } = await this.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name }));
    return (InstanceProfile?.Roles ?? []).map((r) => r.RoleName ?? '');
  }

  setGroups = (NetworkInterfaceId: string, Groups: string[]) =>
    this.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId, Groups }));
  setTracking = (NetworkInterfaceId: string, ConnectionTrackingSpecification: ConnectionTracking) =>
    this.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId, ConnectionTrackingSpecification }));
  setTerminationProtection = (Value: boolean) =>
    this.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: this.instanceId, DisableApiTermination: { Value } }));
  tag = (Key: string, Value: string) => this.ec2.send(new CreateTagsCommand({ Resources: [this.instanceId], Tags: [{ Key, Value }] }));
  untag = (Key: string) => this.ec2.send(new DeleteTagsCommand({ Resources: [this.instanceId], Tags: [{ Key }] }));
  tagInterface = (id: string, Key: string, Value: string) =>
    this.ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key, Value }] }));
  untagInterface = (id: string, Key: string) => this.ec2.send(new DeleteTagsCommand({ Resources: [id], Tags: [{ Key }] }));
  snapshot = (VolumeId: string, requestId: string) =>
    this.ec2.send(
      new CreateSnapshotCommand({
        VolumeId,
        Description: `lockdown forensic snapshot of ${VolumeId} (${this.instanceId}, request ${requestId})`,
        TagSpecifications: [
          {
            ResourceType: 'snapshot',
            Tags: [
              { Key: 'lockdown:evidence-of', Value: this.instanceId },
              { Key: 'lockdown:request', Value: requestId },
            ],
          },
        ],
      }),
    );
}
