import { DescribeNetworkInterfacesCommand, DetachNetworkInterfaceCommand, EC2Client } from '@aws-sdk/client-ec2';
import { SimulatedAws } from './simulated-aws';

const MEMBER = '111111111111';
const REGION = 'us-east-1';

/** DetachNetworkInterface names an attachment (EC2 API Reference); an unknown one is InvalidAttachmentID.NotFound. */
describe("the sandbox's DetachNetworkInterface", () => {
  let uninstall: () => void = () => undefined;
  afterEach(() => uninstall());

  it('frees an attached interface from its instance, and refuses an attachment it does not know', async () => {
    const sim = new SimulatedAws();
    uninstall = sim.install();
    sim.seedAdminRole(MEMBER, 'admin', 'x');
    const { Vpc } = sim.seed(MEMBER, 'ec2', 'CreateVpc', { CidrBlock: '10.0.0.0/16' }, REGION);
    const { Subnet } = sim.seed(MEMBER, 'ec2', 'CreateSubnet', { VpcId: Vpc.VpcId, CidrBlock: '10.0.1.0/24' }, REGION);
    const instance = sim.seed(MEMBER, 'ec2', 'RunInstances', { SubnetId: Subnet.SubnetId }, REGION).Instances[0].InstanceId;
    const eni = sim.seed(MEMBER, 'ec2', 'CreateNetworkInterface', { SubnetId: Subnet.SubnetId }, REGION).NetworkInterface
      .NetworkInterfaceId;
    const { AttachmentId } = sim.seed(
      MEMBER,
      'ec2',
      'AttachNetworkInterface',
      { InstanceId: instance, NetworkInterfaceId: eni, DeviceIndex: 1 },
      REGION,
    );
    const ec2 = new EC2Client({ region: REGION, credentials: sim.issueSession(MEMBER, 'admin', 's'), maxAttempts: 1 });
    const attached = async () =>
      (
        await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instance] }] }))
      ).NetworkInterfaces!.map((n) => n.NetworkInterfaceId);
    expect(await attached()).toContain(eni);

    await ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId }));

    expect(await attached()).not.toContain(eni);
    await expect(ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId }))).rejects.toMatchObject({
      name: 'InvalidAttachmentID.NotFound',
    });
  });
});
