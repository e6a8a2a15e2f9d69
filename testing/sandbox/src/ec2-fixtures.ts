import { SimulatedAws } from './aws';

/** Builds EC2 fixtures in a sandbox account through the simulated API. */
export class Ec2Fixtures {
  constructor(
    private readonly sim: SimulatedAws,
    readonly accountId: string,
    readonly region: string,
  ) {}

  private ec2<T = any>(operation: string, input: object): T {
    return this.sim.seed<T>(this.accountId, 'ec2', operation, input, this.region);
  }

  private iam<T = any>(operation: string, input: object): T {
    return this.sim.seed<T>(this.accountId, 'iam', operation, input);
  }

  /** A VPC with one subnet and a workload security group. */
  network(): { vpcId: string; subnetId: string; appGroup: string } {
    const { Vpc } = this.ec2('CreateVpc', { CidrBlock: '10.0.0.0/16' });
    const { Subnet } = this.ec2('CreateSubnet', { VpcId: Vpc.VpcId, CidrBlock: '10.0.1.0/24' });
    const { GroupId } = this.ec2('CreateSecurityGroup', { VpcId: Vpc.VpcId, GroupName: 'app', Description: 'app' });
    this.ec2('AuthorizeSecurityGroupIngress', {
      GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    });
    return { vpcId: Vpc.VpcId, subnetId: Subnet.SubnetId, appGroup: GroupId };
  }

  /** An instance profile holding a new role; returns the profile ARN. */
  profile(name: string): { profileArn: string; roleName: string } {
    const roleName = `${name}-role`;
    this.iam('CreateRole', {
      RoleName: roleName,
      Path: '/',
      AssumeRolePolicyDocument: '{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
    });
    const { InstanceProfile } = this.iam('CreateInstanceProfile', { InstanceProfileName: name });
    this.iam('AddRoleToInstanceProfile', { InstanceProfileName: name, RoleName: roleName });
    return { profileArn: InstanceProfile.Arn, roleName };
  }

  instance(network: { subnetId: string; appGroup: string }, options: { profileArn?: string } = {}): string {
    const { Instances } = this.ec2('RunInstances', {
      SubnetId: network.subnetId,
      SecurityGroupIds: [network.appGroup],
      ...(options.profileArn ? { IamInstanceProfile: { Arn: options.profileArn } } : {}),
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'workload' }] }],
    });
    return Instances[0].InstanceId;
  }

  /** Attaches a new interface from another network (possibly another VPC) to an instance. */
  attachInterface(instanceId: string, network: { subnetId: string; appGroup: string }, deviceIndex: number): string {
    const { NetworkInterface } = this.ec2('CreateNetworkInterface', { SubnetId: network.subnetId, Groups: [network.appGroup] });
    this.ec2('AttachNetworkInterface', {
      NetworkInterfaceId: NetworkInterface.NetworkInterfaceId,
      InstanceId: instanceId,
      DeviceIndex: deviceIndex,
    });
    return NetworkInterface.NetworkInterfaceId;
  }

  instanceArn(instanceId: string): string {
    return `arn:aws:ec2:${this.region}:${this.accountId}:instance/${instanceId}`;
  }
}
