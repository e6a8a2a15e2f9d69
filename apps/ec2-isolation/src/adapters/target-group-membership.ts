import {
  DeregisterTargetsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ElasticLoadBalancingV2ClientConfig,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';

/**
 * One instance's load-balancer target registrations. Loaded with `import()` only when the
 * deregisterTargets option is on, so the ELB client is not in the main bundle.
 */
export class TargetGroupMembership {
  private readonly client: ElasticLoadBalancingV2Client;

  constructor(
    config: ElasticLoadBalancingV2ClientConfig,
    private readonly instanceId: string,
  ) {
    this.client = new ElasticLoadBalancingV2Client(config);
  }

  /** Every target group (type instance) this instance is registered in, with its ports. */
  async registrations(): Promise<Array<{ targetGroupArn: string; port: number }>> {
    const groups: string[] = [];
    let Marker: string | undefined;
    do {
      const page = await this.client.send(new DescribeTargetGroupsCommand({ Marker }));
      groups.push(...(page.TargetGroups ?? []).filter((g) => g.TargetType === 'instance').map((g) => g.TargetGroupArn!));
      Marker = page.NextMarker;
    } while (Marker);
    const health = await Promise.all(
      groups.map(async (targetGroupArn) => ({
        targetGroupArn,
        targets:
          (await this.client.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }))).TargetHealthDescriptions ?? [],
      })),
    );
    return health.flatMap(({ targetGroupArn, targets }) =>
      targets.filter((t) => t.Target?.Id === this.instanceId).map((t) => ({ targetGroupArn, port: t.Target?.Port ?? 80 })),
    );
  }

  deregister = (TargetGroupArn: string, Port: number) =>
    this.client.send(new DeregisterTargetsCommand({ TargetGroupArn, Targets: [{ Id: this.instanceId, Port }] }));
  register = (TargetGroupArn: string, Port: number) =>
    this.client.send(new RegisterTargetsCommand({ TargetGroupArn, Targets: [{ Id: this.instanceId, Port }] }));
}
