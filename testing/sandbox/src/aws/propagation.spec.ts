import {
  AssociateIamInstanceProfileCommand,
  AttachNetworkInterfaceCommand,
  DisassociateIamInstanceProfileCommand,
  EC2Client,
  ModifyNetworkInterfaceAttributeCommand,
  ReplaceIamInstanceProfileAssociationCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateAccessKeyCommand,
  DeleteUserPolicyCommand,
  GetUserCommand,
  IAMClient,
  ListRolePoliciesCommand,
  UntagUserCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetFunctionConcurrencyCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { DEFAULT_MEMBER_ROLE_DEPLOYERS, orgGuardPolicy } from '@lockdown/contracts';
import { SimulatedAws } from './simulated-aws';

const MEMBER = '111111111111';
const REGION = 'us-east-1';
const DENY_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] });
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
/** lockdown's organization guard, as the drill runs it. */
const GUARD = [
  { name: 'guard', policy: orgGuardPolicy({ memberRoleName: 'lockdown-member', memberRoleDeployers: DEFAULT_MEMBER_ROLE_DEPLOYERS }) },
];

/** A sandbox on a clock the test moves; `model` starts IAM's propagation delay (after the fixtures). */
function sandbox() {
  const sim = new SimulatedAws();
  let now = Date.parse('2026-11-26T12:00:00Z');
  sim.now = () => new Date(now);
  const advance = (ms: number) => {
    now += ms;
  };
  return { sim, advance, model: () => sim.modelIamPropagation(4000) };
}

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'allowed',
    (e: Error) => e.name,
  );

describe('IAM eventual consistency in the sandbox: authorization sees a change only after the propagation delay', () => {
  let uninstall: () => void = () => undefined;
  afterEach(() => uninstall());

  function adminUser(sim: SimulatedAws, name: string) {
    sim.seed(MEMBER, 'iam', 'CreateUser', { UserName: name, Path: '/' });
    sim.seed(MEMBER, 'iam', 'AttachUserPolicy', { UserName: name, PolicyArn: ADMIN });
    const { AccessKey } = sim.seed(MEMBER, 'iam', 'CreateAccessKey', { UserName: name });
    const credentials = { accessKeyId: AccessKey.AccessKeyId as string, secretAccessKey: AccessKey.SecretAccessKey as string };
    return { key: credentials.accessKeyId, iam: new IAMClient({ region: REGION, credentials, maxAttempts: 1 }) };
  }

  it("a user's own key keeps working for the delay after a deny-all is put on it, then is refused", async () => {
    const { sim, advance, model } = sandbox();
    uninstall = sim.install();
    const mallory = adminUser(sim, 'mallory');
    model();
    const read = () => outcome(mallory.iam.send(new GetUserCommand({ UserName: 'mallory' })));
    expect(await read()).toBe('allowed');
    sim.seed(MEMBER, 'iam', 'PutUserPolicy', { UserName: 'mallory', PolicyName: 'deny', PolicyDocument: DENY_ALL });
    advance(3900);
    expect(await read()).toBe('allowed');
    // Inside the window the user can even remove the deny: its removal then propagates in turn.
    expect(await outcome(mallory.iam.send(new DeleteUserPolicyCommand({ UserName: 'mallory', PolicyName: 'deny' })))).toBe('allowed');
    advance(200);
    expect(await read()).toBe('AccessDenied');
    advance(3900);
    expect(await read()).toBe('allowed');
  });

  it('a deactivated key is accepted until the delay has passed, then refused as invalid by each service', async () => {
    const { sim, advance, model } = sandbox();
    uninstall = sim.install();
    const mallory = adminUser(sim, 'mallory');
    model();
    sim.seed(MEMBER, 'lambda', 'CreateFunction', { FunctionName: 'f', Role: `arn:aws:iam::${MEMBER}:role/x` }, REGION);
    const credentials = await mallory.iam.config.credentials();
    const lambda = new LambdaClient({ region: REGION, credentials, maxAttempts: 1 });
    sim.seed(MEMBER, 'iam', 'UpdateAccessKey', { UserName: 'mallory', AccessKeyId: mallory.key, Status: 'Inactive' });
    advance(1000);
    expect(await outcome(mallory.iam.send(new GetUserCommand({ UserName: 'mallory' })))).toBe('allowed');
    advance(3000);
    expect(await outcome(mallory.iam.send(new GetUserCommand({ UserName: 'mallory' })))).toBe('InvalidClientTokenId');
    expect(await outcome(lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'f' })))).toBe('UnrecognizedClientException');
  });

  it('without the model a change is seen at once (the default)', async () => {
    const sim = new SimulatedAws();
    uninstall = sim.install();
    const mallory = adminUser(sim, 'mallory');
    sim.seed(MEMBER, 'iam', 'PutUserPolicy', { UserName: 'mallory', PolicyName: 'deny', PolicyDocument: DENY_ALL });
    expect(await outcome(mallory.iam.send(new GetUserCommand({ UserName: 'mallory' })))).toBe('AccessDenied');
  });

  it("a session is evaluated with its own keys: aws:TokenIssueTime, lambda:SourceFunctionArn, the role's tags for the guard", async () => {
    const { sim, advance, model } = sandbox();
    uninstall = sim.install();
    sim.seed(MEMBER, 'iam', 'CreateRole', { RoleName: 'exec', Path: '/', AssumeRolePolicyDocument: '{"Statement":[]}' });
    sim.seed(MEMBER, 'iam', 'AttachRolePolicy', { RoleName: 'exec', PolicyArn: ADMIN });
    model();
    const fn = `arn:aws:lambda:${REGION}:${MEMBER}:function:payments`;
    const stolen = sim.issueSession(MEMBER, 'exec', 'payments', { 'lambda:SourceFunctionArn': fn });
    const other = sim.issueSession(MEMBER, 'exec', 'reports', { 'lambda:SourceFunctionArn': `${fn}-reports` });
    const list = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
      outcome(new IAMClient({ region: REGION, credentials, maxAttempts: 1 }).send(new ListRolePoliciesCommand({ RoleName: 'exec' })));
    sim.seed(MEMBER, 'iam', 'PutRolePolicy', {
      RoleName: 'exec',
      PolicyName: 'deny-payments',
      PolicyDocument: JSON.stringify({
        Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { ArnLike: { 'lambda:SourceFunctionArn': fn } } }],
      }),
    });
    advance(4000);
    expect([await list(stolen), await list(other)]).toEqual(['AccessDenied', 'allowed']);

    sim.seed(MEMBER, 'iam', 'DeleteRolePolicy', { RoleName: 'exec', PolicyName: 'deny-payments' });
    advance(4000);
    const issuedBefore = sim.now().toISOString();
    const fresh = sim.issueSession(MEMBER, 'exec', 'fresh');
    sim.seed(MEMBER, 'iam', 'PutRolePolicy', {
      RoleName: 'exec',
      PolicyName: 'revoke',
      PolicyDocument: JSON.stringify({
        Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': issuedBefore } } }],
      }),
    });
    advance(1);
    expect([await list(stolen), await list(fresh)]).toEqual(['allowed', 'allowed']);
    advance(4000);
    expect([await list(stolen), await list(fresh)]).toEqual(['AccessDenied', 'allowed']);

    // The guard denies every call of a principal tagged lockdown:containment, once the tag has propagated.
    sim.serviceControlPolicies = GUARD;
    sim.seed(MEMBER, 'iam', 'TagRole', { RoleName: 'exec', Tags: [{ Key: 'lockdown:containment', Value: 'r-1' }] });
    advance(3000);
    expect(await list(fresh)).toBe('allowed');
    advance(1000);
    expect(await list(fresh)).toBe('AccessDenied');
  });

  it("under the guard, a tagged function's concurrency and a tagged interface's groups are frozen (their resource tags)", async () => {
    const { sim } = sandbox();
    uninstall = sim.install();
    sim.serviceControlPolicies = GUARD;
    const admin = adminUser(sim, 'backdoor');
    const credentials = await admin.iam.config.credentials();
    sim.seed(MEMBER, 'lambda', 'CreateFunction', { FunctionName: 'f', Role: `arn:aws:iam::${MEMBER}:role/x` }, REGION);
    sim.seed(MEMBER, 'lambda', 'TagResource', { Resource: 'f', Tags: { 'lockdown:containment': 'r-1' } }, REGION);
    const { Vpc } = sim.seed(MEMBER, 'ec2', 'CreateVpc', { CidrBlock: '10.0.0.0/16' }, REGION);
    const { Subnet } = sim.seed(MEMBER, 'ec2', 'CreateSubnet', { VpcId: Vpc.VpcId, CidrBlock: '10.0.1.0/24' }, REGION);
    const group = sim.seed(MEMBER, 'ec2', 'CreateSecurityGroup', { VpcId: Vpc.VpcId, GroupName: 'web', Description: 'w' }, REGION).GroupId;
    const eni = sim.seed(MEMBER, 'ec2', 'CreateNetworkInterface', { SubnetId: Subnet.SubnetId, Groups: [group] }, REGION).NetworkInterface
      .NetworkInterfaceId;
    sim.seed(MEMBER, 'ec2', 'CreateTags', { Resources: [eni], Tags: [{ Key: 'lockdown:containment', Value: 'r-2' }] }, REGION);
    const lambda = new LambdaClient({ region: REGION, credentials, maxAttempts: 1 });
    const ec2 = new EC2Client({ region: REGION, credentials, maxAttempts: 1 });
    expect(await outcome(lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'f' })))).toBe('AccessDeniedException');
    expect(await outcome(ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni, Groups: [group] })))).toBe(
      'UnauthorizedOperation',
    );
  });

  it('under the guard, a contained instance takes no fresh interface and is not terminated; a contained user gets no key and keeps its tag in any casing', async () => {
    const { sim } = sandbox();
    uninstall = sim.install();
    sim.serviceControlPolicies = GUARD;
    const admin = adminUser(sim, 'backdoor');
    const credentials = await admin.iam.config.credentials();
    const { Vpc } = sim.seed(MEMBER, 'ec2', 'CreateVpc', { CidrBlock: '10.0.0.0/16' }, REGION);
    const { Subnet } = sim.seed(MEMBER, 'ec2', 'CreateSubnet', { VpcId: Vpc.VpcId, CidrBlock: '10.0.1.0/24' }, REGION);
    const group = sim.seed(MEMBER, 'ec2', 'CreateSecurityGroup', { VpcId: Vpc.VpcId, GroupName: 'web', Description: 'w' }, REGION).GroupId;
    const run = () =>
      sim.seed(MEMBER, 'ec2', 'RunInstances', { SubnetId: Subnet.SubnetId, SecurityGroupIds: [group] }, REGION).Instances[0].InstanceId;
    const [contained, healthy] = [run(), run()];
    const fresh = () =>
      sim.seed(MEMBER, 'ec2', 'CreateNetworkInterface', { SubnetId: Subnet.SubnetId, Groups: [group] }, REGION).NetworkInterface
        .NetworkInterfaceId;
    sim.seed(MEMBER, 'ec2', 'CreateTags', { Resources: [contained], Tags: [{ Key: 'lockdown:containment', Value: 'r-1' }] }, REGION);
    sim.seed(MEMBER, 'iam', 'CreateUser', { UserName: 'alice', Path: '/' });
    sim.seed(MEMBER, 'iam', 'TagUser', { UserName: 'alice', Tags: [{ Key: 'lockdown:containment', Value: 'r-1' }] });
    const ec2 = new EC2Client({ region: REGION, credentials, maxAttempts: 1 });
    const attach = (InstanceId: string) =>
      outcome(ec2.send(new AttachNetworkInterfaceCommand({ InstanceId, NetworkInterfaceId: fresh(), DeviceIndex: 1 })));
    expect(await attach(contained)).toBe('UnauthorizedOperation');
    expect(await attach(healthy)).toBe('allowed');
    expect(await outcome(ec2.send(new TerminateInstancesCommand({ InstanceIds: [contained] })))).toBe('UnauthorizedOperation');
    expect(await outcome(admin.iam.send(new CreateAccessKeyCommand({ UserName: 'alice' })))).toBe('AccessDenied');
    expect(await outcome(admin.iam.send(new UntagUserCommand({ UserName: 'alice', TagKeys: ['Lockdown:Containment'] })))).toBe(
      'AccessDenied',
    );
  });

  it("under the guard, an administrator can neither take over lockdown's role nor delete a contained function", async () => {
    const { sim } = sandbox();
    uninstall = sim.install();
    sim.serviceControlPolicies = GUARD;
    const admin = adminUser(sim, 'backdoor');
    const credentials = await admin.iam.config.credentials();
    const trust = (RoleName: string) =>
      outcome(
        admin.iam.send(
          new UpdateAssumeRolePolicyCommand({
            RoleName,
            PolicyDocument: JSON.stringify({
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MEMBER}:user/backdoor` }, Action: 'sts:AssumeRole' }],
            }),
          }),
        ),
      );
    sim.seed(MEMBER, 'iam', 'CreateRole', { RoleName: 'lockdown-member', Path: '/', AssumeRolePolicyDocument: '{}' });
    sim.seed(MEMBER, 'iam', 'CreateRole', { RoleName: 'app', Path: '/', AssumeRolePolicyDocument: '{}' });
    expect(await trust('lockdown-member')).toBe('AccessDenied');
    expect(await trust('app')).toBe('allowed');
    sim.seed(MEMBER, 'lambda', 'CreateFunction', { FunctionName: 'payments', Role: `arn:aws:iam::${MEMBER}:role/app` }, REGION);
    sim.seed(MEMBER, 'lambda', 'CreateFunction', { FunctionName: 'reports', Role: `arn:aws:iam::${MEMBER}:role/app` }, REGION);
    sim.seed(MEMBER, 'lambda', 'TagResource', { Resource: 'payments', Tags: { 'lockdown:containment': 'r-1' } }, REGION);
    const lambda = new LambdaClient({ region: REGION, credentials, maxAttempts: 1 });
    expect(await outcome(lambda.send(new DeleteFunctionCommand({ FunctionName: 'payments' })))).toBe('AccessDeniedException');
    expect(await outcome(lambda.send(new DeleteFunctionCommand({ FunctionName: 'reports' })))).toBe('allowed');
    expect(sim.seed(MEMBER, 'iam', 'GetRole', { RoleName: 'app' }).Role.AssumeRolePolicyDocument).toContain('backdoor');
  });

  it("under the guard, a contained instance's instance profile is neither replaced nor removed; a healthy one gets one", async () => {
    const { sim } = sandbox();
    uninstall = sim.install();
    sim.serviceControlPolicies = GUARD;
    const admin = adminUser(sim, 'backdoor');
    const ec2 = new EC2Client({ region: REGION, credentials: await admin.iam.config.credentials(), maxAttempts: 1 });
    const { Vpc } = sim.seed(MEMBER, 'ec2', 'CreateVpc', { CidrBlock: '10.0.0.0/16' }, REGION);
    const { Subnet } = sim.seed(MEMBER, 'ec2', 'CreateSubnet', { VpcId: Vpc.VpcId, CidrBlock: '10.0.1.0/24' }, REGION);
    const profile = (name: string) => ({ Arn: `arn:aws:iam::${MEMBER}:instance-profile/${name}` });
    const run = (IamInstanceProfile?: { Arn: string }) =>
      sim.seed(MEMBER, 'ec2', 'RunInstances', { SubnetId: Subnet.SubnetId, ...(IamInstanceProfile ? { IamInstanceProfile } : {}) }, REGION)
        .Instances[0].InstanceId;
    const [contained, healthy] = [run(profile('web')), run()];
    sim.seed(MEMBER, 'ec2', 'CreateTags', { Resources: [contained], Tags: [{ Key: 'lockdown:containment', Value: 'r-1' }] }, REGION);
    const association = sim
      .seed(MEMBER, 'ec2', 'DescribeIamInstanceProfileAssociations', { Filters: [] }, REGION)
      .IamInstanceProfileAssociations.find((a: { InstanceId: string }) => a.InstanceId === contained).AssociationId;
    const replace = () =>
      ec2.send(new ReplaceIamInstanceProfileAssociationCommand({ AssociationId: association, IamInstanceProfile: profile('fresh') }));
    expect(await outcome(replace())).toBe('UnauthorizedOperation');
    expect(await outcome(ec2.send(new DisassociateIamInstanceProfileCommand({ AssociationId: association })))).toBe(
      'UnauthorizedOperation',
    );
    expect(
      await outcome(ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: healthy, IamInstanceProfile: profile('fresh') }))),
    ).toBe('allowed');
  });
});
