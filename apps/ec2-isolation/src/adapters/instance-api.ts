import {
  CreateSnapshotCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  EC2Client,
  Instance,
  ModifyInstanceAttributeCommand,
  ModifyNetworkInterfaceAttributeCommand,
} from '@aws-sdk/client-ec2';
import {
  AttachInstancesCommand,
  AutoScalingClient,
  DescribeAutoScalingInstancesCommand,
  DetachInstancesCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  DeregisterTargetsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetInstanceProfileCommand, IAMClient } from '@aws-sdk/client-iam';
import { RoleInlinePolicies } from '@lockdown/aws';
import { ConnectionTracking } from '../domain/observed';

/** The EC2 and IAM calls ec2-isolation makes on one instance. */
export class InstanceApi {
  readonly rolePolicies: RoleInlinePolicies;

  constructor(
    readonly ec2: EC2Client,
    readonly iam: IAMClient,
    readonly instanceId: string,
    /** Only when the Auto Scaling option is on. */
    readonly autoScaling?: AutoScalingClient,
    /** Only when the load-balancer option is on. */
    readonly loadBalancing?: ElasticLoadBalancingV2Client,
  ) {
    this.rolePolicies = new RoleInlinePolicies(iam);
  }

  private scaling(): AutoScalingClient {
    if (!this.autoScaling) throw new Error('the Auto Scaling option is off: no Auto Scaling client');
    return this.autoScaling;
  }

  async autoScalingGroup(): Promise<string | undefined> {
    const { AutoScalingInstances = [] } = await this.scaling().send(
      new DescribeAutoScalingInstancesCommand({ InstanceIds: [this.instanceId] }),
    );
    return AutoScalingInstances[0]?.AutoScalingGroupName;
  }

  private elb(): ElasticLoadBalancingV2Client {
    if (!this.loadBalancing) throw new Error('the load-balancer option is off: no ELB client');
    return this.loadBalancing;
  }

  /** Every target group (type instance) this instance is registered in, with its ports. */
  async targetRegistrations(): Promise<Array<{ targetGroupArn: string; port: number }>> {
    const groups: string[] = [];
    let Marker: string | undefined;
    do {
      const page = await this.elb().send(new DescribeTargetGroupsCommand({ Marker }));
      groups.push(...(page.TargetGroups ?? []).filter((g) => g.TargetType === 'instance').map((g) => g.TargetGroupArn!));
      Marker = page.NextMarker;
    } while (Marker);
    const health = await Promise.all(
      groups.map(async (targetGroupArn) => ({
        targetGroupArn,
        targets:
          (await this.elb().send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }))).TargetHealthDescriptions ?? [],
      })),
    );
    return health.flatMap(({ targetGroupArn, targets }) =>
      targets.filter((t) => t.Target?.Id === this.instanceId).map((t) => ({ targetGroupArn, port: t.Target?.Port ?? 80 })),
    );
  }

  deregisterTarget = (TargetGroupArn: string, Port: number) =>
    this.elb().send(new DeregisterTargetsCommand({ TargetGroupArn, Targets: [{ Id: this.instanceId, Port }] }));
  registerTarget = (TargetGroupArn: string, Port: number) =>
    this.elb().send(new RegisterTargetsCommand({ TargetGroupArn, Targets: [{ Id: this.instanceId, Port }] }));

  detachFromGroup = (AutoScalingGroupName: string) =>
    this.scaling().send(
      new DetachInstancesCommand({ AutoScalingGroupName, InstanceIds: [this.instanceId], ShouldDecrementDesiredCapacity: false }),
    );
  attachToGroup = (AutoScalingGroupName: string) =>
    this.scaling().send(new AttachInstancesCommand({ AutoScalingGroupName, InstanceIds: [this.instanceId] }));

  async describe(): Promise<Instance> {
    const { Reservations } = await this.ec2.send(new DescribeInstancesCommand({ InstanceIds: [this.instanceId] }));
    const instance = Reservations?.[0]?.Instances?.[0];
    if (!instance)
      throw Object.assign(new Error(`The instance ID '${this.instanceId}' does not exist`), { name: 'InvalidInstanceID.NotFound' });
    return instance;
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
