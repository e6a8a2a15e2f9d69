import {
  AttachInstancesCommand,
  AutoScalingClient,
  AutoScalingClientConfig,
  DescribeAutoScalingInstancesCommand,
  DetachInstancesCommand,
} from '@aws-sdk/client-auto-scaling';

/**
 * One instance's Auto Scaling group membership. Loaded with `import()` only when the
 * detachAutoScaling option is on, so the Auto Scaling client is not in the main bundle.
 */
export class AutoScalingMembership {
  private readonly client: AutoScalingClient;

  constructor(
    config: AutoScalingClientConfig,
    private readonly instanceId: string,
  ) {
    this.client = new AutoScalingClient(config);
  }

  async group(): Promise<string | undefined> {
    const { AutoScalingInstances = [] } = await this.client.send(
      new DescribeAutoScalingInstancesCommand({ InstanceIds: [this.instanceId] }),
    );
    return AutoScalingInstances[0]?.AutoScalingGroupName;
  }

  detach = (AutoScalingGroupName: string) =>
    this.client.send(
      new DetachInstancesCommand({ AutoScalingGroupName, InstanceIds: [this.instanceId], ShouldDecrementDesiredCapacity: false }),
    );
  attach = (AutoScalingGroupName: string) =>
    this.client.send(new AttachInstancesCommand({ AutoScalingGroupName, InstanceIds: [this.instanceId] }));
}
