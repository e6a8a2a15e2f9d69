import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AttachRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
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
  const rejection = (promise: Promise<unknown>) => promise.then(() => 'allowed', (e: Error) => e.name);

  beforeAll(async () => {
    uninstall = sim.install();
    sim.seedMemberRole(MEMBER, 'lockdown-member', 'x');
    sim.seed(MEMBER, 'iam', 'CreateRole', { RoleName: 'app', Path: '/', AssumeRolePolicyDocument: '{"Statement":[]}' });
    sim.seed(MEMBER, 'lambda', 'CreateFunction', { FunctionName: 'payments', Role: `arn:aws:iam::${MEMBER}:role/app` }, REGION);
    const { Credentials } = await new STSClient({ region: REGION }).send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/lockdown-member`, RoleSessionName: 'test', ExternalId: 'x' }),
    );
    credentials = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
  });
  afterAll(() => uninstall());

  it('allows lambda:ListEventSourceMappings (Resource "*"), and refuses it under the policy scoped to function ARNs', async () => {
    const list = () => client(LambdaClient).send(new ListEventSourceMappingsCommand({ FunctionName: 'payments' }));
    expect(await rejection(list())).toBe('allowed');
    const policy = memberRolePolicy({ partition: 'aws', account: MEMBER, memberRoleName: 'lockdown-member' });
    const scoped = {
      ...policy,
      Statement: policy.Statement.filter((s) => s.Sid !== 'ListMappings').map((s) => (s.Sid === 'Functions' ? { ...s, Action: [...s.Action, 'lambda:ListEventSourceMappings'] } : s)),
    };
    sim.seed(MEMBER, 'iam', 'PutRolePolicy', { RoleName: 'lockdown-member', PolicyName: MEMBER_POLICY_NAME, PolicyDocument: JSON.stringify(scoped) });
    try {
      expect(await rejection(list())).toBe('AccessDeniedException');
    } finally {
      sim.seed(MEMBER, 'iam', 'PutRolePolicy', { RoleName: 'lockdown-member', PolicyName: MEMBER_POLICY_NAME, PolicyDocument: JSON.stringify(policy) });
    }
  });

  it('lets the role attach AWSDenyAll and nothing else', async () => {
    const attach = (PolicyArn: string) => client(IAMClient).send(new AttachRolePolicyCommand({ RoleName: 'app', PolicyArn }));
    expect(await rejection(attach('arn:aws:iam::aws:policy/AdministratorAccess'))).toBe('AccessDenied');
    expect(await rejection(attach('arn:aws:iam::aws:policy/AWSDenyAll'))).toBe('allowed');
  });

  it('changes rules only on security groups tagged lockdown:managed', async () => {
    const { Vpc } = sim.seed(MEMBER, 'ec2', 'CreateVpc', { CidrBlock: '10.0.0.0/16' }, REGION);
    const foreign = sim.seed(MEMBER, 'ec2', 'CreateSecurityGroup', { VpcId: Vpc.VpcId, GroupName: 'web', Description: 'web' }, REGION).GroupId;
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
      ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    expect(await rejection(open(foreign))).toBe('UnauthorizedOperation');
    expect(await rejection(open(ours))).toBe('allowed');
    expect(sim.authorizations.some((a) => a.action === 'ec2:AuthorizeSecurityGroupIngress' && a.decision === 'ImplicitlyDenied')).toBe(true);
  });
});
