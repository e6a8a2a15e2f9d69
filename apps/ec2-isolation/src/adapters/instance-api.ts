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
import { GetInstanceProfileCommand, IAMClient } from '@aws-sdk/client-iam';
import { RoleInlinePolicies } from '@lockdown/aws';
import { ConnectionTracking } from '../domain/observed';

const MISSING = ['NoSuchEntity', 'InvalidInstanceID.NotFound', 'InvalidNetworkInterfaceID.NotFound'];
const isMissing = (error: unknown) => MISSING.includes((error as Error)?.name);

/** Undo is idempotent: what is already gone counts as undone. */
export async function ignoreMissing(action: Promise<unknown>): Promise<void> {
  try {
    await action;
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}

/** The EC2 and IAM calls ec2-isolation makes on one instance. */
export class InstanceApi {
  readonly rolePolicies: RoleInlinePolicies;

  constructor(
    readonly ec2: EC2Client,
    readonly iam: IAMClient,
    readonly instanceId: string,
  ) {
    this.rolePolicies = new RoleInlinePolicies(iam);
  }

  async describe(): Promise<Instance> {
    const { Reservations } = await this.ec2.send(new DescribeInstancesCommand({ InstanceIds: [this.instanceId] }));
    const instance = Reservations?.[0]?.Instances?.[0];
    if (!instance) throw Object.assign(new Error(`The instance ID '${this.instanceId}' does not exist`), { name: 'InvalidInstanceID.NotFound' });
    return instance;
  }

  async terminationProtection(): Promise<boolean> {
    const r = await this.ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: this.instanceId, Attribute: 'disableApiTermination' }));
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
          { ResourceType: 'snapshot', Tags: [{ Key: 'lockdown:evidence-of', Value: this.instanceId }, { Key: 'lockdown:request', Value: requestId }] },
        ],
      }),
    );
}
