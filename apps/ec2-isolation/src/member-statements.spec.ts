import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, CreateTagsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { memberRolePolicy } from '@lockdown/contracts';
import { SimulatedAws, memberRoleSession, outcomeOf } from '@lockdown/sandbox';
import { descriptor } from './descriptor';

const MEMBER = '111111111111';
const REGION = 'eu-west-1';

describe("ec2-isolation's member statements, authorized by the sandbox as AWS would (iam-simulate)", () => {
  const sim = new SimulatedAws();
  const member = memberRoleSession(sim, MEMBER, REGION, (props) => memberRolePolicy(props, descriptor.memberStatements));
  const client = member.client;
  beforeAll(() => member.start());
  afterAll(() => member.stop());

  it('changes rules only on security groups tagged lockdown:managed', async () => {
    const { Vpc } = sim.seed(MEMBER, 'ec2', 'CreateVpc', { CidrBlock: '10.0.0.0/16' }, REGION);
    const foreign = sim.seed(
      MEMBER,
      'ec2',
      'CreateSecurityGroup',
      { VpcId: Vpc.VpcId, GroupName: 'web', Description: 'web' },
      REGION,
    ).GroupId;
    const ec2 = client(EC2Client);
    const ours = (
      await ec2.send(
        new CreateSecurityGroupCommand({
          VpcId: Vpc.VpcId,
          GroupName: 'lockdown-isolation',
          Description: 'lockdown',
          TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'lockdown:managed', Value: 'true' }] }],
        }),
      )
    ).GroupId!;
    const open = (GroupId: string) =>
      ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId,
          IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
        }),
      );
    expect(await outcomeOf(open(foreign))).toBe('UnauthorizedOperation');
    expect(await outcomeOf(open(ours))).toBe('allowed');
    expect(sim.authorizations.some((a) => a.action === 'ec2:AuthorizeSecurityGroupIngress' && a.decision === 'ImplicitlyDenied')).toBe(
      true,
    );
  });

  it('tags instances with the containment tag only, and never tags an existing security group', async () => {
    const { Vpc } = sim.seed(MEMBER, 'ec2', 'CreateVpc', { CidrBlock: '10.1.0.0/16' }, REGION);
    const { Subnet } = sim.seed(MEMBER, 'ec2', 'CreateSubnet', { VpcId: Vpc.VpcId, CidrBlock: '10.1.1.0/24' }, REGION);
    const instance = sim.seed(MEMBER, 'ec2', 'RunInstances', { SubnetId: Subnet.SubnetId }, REGION).Instances[0].InstanceId;
    const group = sim.seed(
      MEMBER,
      'ec2',
      'CreateSecurityGroup',
      { VpcId: Vpc.VpcId, GroupName: 'web', Description: 'web' },
      REGION,
    ).GroupId;
    const tag = (id: string, Key: string) =>
      client(EC2Client).send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key, Value: 'true' }] }));
    expect(await outcomeOf(tag(instance, 'lockdown:containment'))).toBe('allowed');
    expect(await outcomeOf(tag(instance, 'owner'))).toBe('UnauthorizedOperation');
    // Tagging a foreign group lockdown:managed would let the role change its rules afterwards.
    expect(await outcomeOf(tag(group, 'lockdown:managed'))).toBe('UnauthorizedOperation');
  });

  it('creates security groups only tagged lockdown:managed', async () => {
    const { Vpc } = sim.seed(MEMBER, 'ec2', 'CreateVpc', { CidrBlock: '10.2.0.0/16' }, REGION);
    const create = (Tags: Array<{ Key: string; Value: string }>) =>
      client(EC2Client).send(
        new CreateSecurityGroupCommand({
          VpcId: Vpc.VpcId,
          GroupName: `g-${Tags.length}`,
          Description: 'd',
          TagSpecifications: [{ ResourceType: 'security-group', Tags }],
        }),
      );
    expect(await outcomeOf(create([]))).toBe('UnauthorizedOperation');
    expect(
      await outcomeOf(
        create([
          { Key: 'lockdown:managed', Value: 'true' },
          { Key: 'team', Value: 'x' },
        ]),
      ),
    ).toBe('UnauthorizedOperation');
    expect(await outcomeOf(create([{ Key: 'lockdown:managed', Value: 'true' }]))).toBe('allowed');
  });
});
