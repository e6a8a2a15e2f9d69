import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, CreateTagsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AttachRolePolicyCommand, IAMClient, TagRoleCommand } from '@aws-sdk/client-iam';
import { LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { memberRolePolicy } from '@lockdown/contracts';
import { MEMBER_POLICY_NAME, SimulatedAws } from './simulated-aws';

const MEMBER = '111111111111';
const REGION = 'eu-west-1';

describe('the sandbox authorizes member-role calls as AWS would (iam-simulate)', () => {
  const sim = new SimulatedAws();
  let uninstall: () => void;
  let credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  const client = <T>(Client: new (config: object) => T) => new Client({ region: REGION, credentials, maxAttempts: 1 });
  const rejection = (promise: Promise<unknown>) =>
    promise.then(
      () => 'allowed',
      (e: Error) => e.name,
    );

  beforeAll(async () => {
    uninstall = sim.install();
    sim.seedMemberRole(MEMBER, 'lockdown-member', 'x');
    sim.seed(MEMBER, 'iam', 'CreateRole', { RoleName: 'app', Path: '/', AssumeRolePolicyDocument: '{"Statement":[]}' });
    sim.seed(MEMBER, 'lambda', 'CreateFunction', { FunctionName: 'payments', Role: `arn:aws:iam::${MEMBER}:role/app` }, REGION);
    const { Credentials } = await new STSClient({ region: REGION }).send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/lockdown-member`, RoleSessionName: 'test', ExternalId: 'x' }),
    );
    credentials = {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    };
  });
  afterAll(() => uninstall());

  it('allows lambda:ListEventSourceMappings (Resource "*"), and refuses it under the policy scoped to function ARNs', async () => {
    const list = () => client(LambdaClient).send(new ListEventSourceMappingsCommand({ FunctionName: 'payments' }));
    expect(await rejection(list())).toBe('allowed');
    const policy = memberRolePolicy({
      partition: 'aws',
      account: MEMBER,
      memberRoleName: 'lockdown-member',
      securityAccountId: '999999999999',
    });
    const scoped = {
      ...policy,
      Statement: policy.Statement.filter((s) => s.Sid !== 'ListMappings').map((s) =>
        s.Sid === 'Functions' ? { ...s, Action: [...s.Action, 'lambda:ListEventSourceMappings'] } : s,
      ),
    };
    sim.seed(MEMBER, 'iam', 'PutRolePolicy', {
      RoleName: 'lockdown-member',
      PolicyName: MEMBER_POLICY_NAME,
      PolicyDocument: JSON.stringify(scoped),
    });
    try {
      expect(await rejection(list())).toBe('AccessDeniedException');
    } finally {
      sim.seed(MEMBER, 'iam', 'PutRolePolicy', {
        RoleName: 'lockdown-member',
        PolicyName: MEMBER_POLICY_NAME,
        PolicyDocument: JSON.stringify(policy),
      });
    }
  });

  it('lets the role attach AWSDenyAll and nothing else', async () => {
    const attach = (PolicyArn: string) => client(IAMClient).send(new AttachRolePolicyCommand({ RoleName: 'app', PolicyArn }));
    expect(await rejection(attach('arn:aws:iam::aws:policy/AdministratorAccess'))).toBe('AccessDenied');
    expect(await rejection(attach('arn:aws:iam::aws:policy/AWSDenyAll'))).toBe('allowed');
  });

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
    expect(await rejection(open(foreign))).toBe('UnauthorizedOperation');
    expect(await rejection(open(ours))).toBe('allowed');
    expect(sim.authorizations.some((a) => a.action === 'ec2:AuthorizeSecurityGroupIngress' && a.decision === 'ImplicitlyDenied')).toBe(
      true,
    );
  });

  it('writes only the containment tag on principals', async () => {
    const tag = (Key: string) => client(IAMClient).send(new TagRoleCommand({ RoleName: 'app', Tags: [{ Key, Value: 'x' }] }));
    expect(await rejection(tag('lockdown:containment'))).toBe('allowed');
    expect(await rejection(tag('team'))).toBe('AccessDenied');
    expect(await rejection(tag('lockdown:managed'))).toBe('AccessDenied');
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
    expect(await rejection(tag(instance, 'lockdown:containment'))).toBe('allowed');
    expect(await rejection(tag(instance, 'owner'))).toBe('UnauthorizedOperation');
    // Tagging a foreign group lockdown:managed would let the role change its rules afterwards.
    expect(await rejection(tag(group, 'lockdown:managed'))).toBe('UnauthorizedOperation');
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
    expect(await rejection(create([]))).toBe('UnauthorizedOperation');
    expect(
      await rejection(
        create([
          { Key: 'lockdown:managed', Value: 'true' },
          { Key: 'team', Value: 'x' },
        ]),
      ),
    ).toBe('UnauthorizedOperation');
    expect(await rejection(create([{ Key: 'lockdown:managed', Value: 'true' }]))).toBe('allowed');
  });
});
