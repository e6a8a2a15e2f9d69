import {
  CreateNetworkInterfaceCommand,
  AttachNetworkInterfaceCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  TagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  ListTagsCommand,
  PutFunctionConcurrencyCommand,
} from '@aws-sdk/client-lambda';
import {
  CreateBucketCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { crc32 } from 'node:zlib';

export interface MemberClients {
  iam: IAMClient;
  lambda: LambdaClient;
  ec2: EC2Client;
  /** For the queue the compromised function reads (a mapping needs an existing source). */
  sqs: SQSClient;
  s3: S3Client;
}

const decode = (document: string | undefined) => JSON.parse(decodeURIComponent(document ?? '{}')) as object;

/** A one-file zip (stored, not compressed), enough for CreateFunction on an emulator. */
function storedZip(name: string, content: string): Uint8Array {
  const data = Buffer.from(content);
  const file = Buffer.from(name);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(file.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(file.length, 28);
  const centralOffset = local.length + file.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + file.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, file, data, central, file, end]);
}

const DEFAULT_TRACKING = { TcpEstablishedTimeout: 432000, UdpStreamTimeout: 180, UdpTimeout: 30 };

export interface DrillFixtures {
  user: { name: string; arn: string; keys: string[] };
  role: { name: string; arn: string };
  compromisedFunction: { name: string; arn: string };
  healthyFunction: { name: string; arn: string };
  sharedRole: string;
  instance: { id: string; arn: string; profileRole: string; neighbourArn: string };
  bucket: { name: string; arn: string };
  /** A stolen session of the shared execution role: only it is to be denied. */
  session: { name: string; arn: string };
}

/** Creates the drill's compromised entities through the real API of the member account. */
export async function createFixtures(c: MemberClients, accountId: string, region: string, suffix: string): Promise<DrillFixtures> {
  const n = (name: string) => `drill-${name}-${suffix}`;
  const lambdaTrust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  });
  const ec2Trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  });
  const readOnly = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

  // An IAM user with two keys (one active, one already inactive).
  const user = (await c.iam.send(new CreateUserCommand({ UserName: n('alice'), Path: '/drill/' }))).User!;
  await c.iam.send(new AttachUserPolicyCommand({ UserName: user.UserName!, PolicyArn: readOnly }));
  await c.iam.send(new TagUserCommand({ UserName: user.UserName!, Tags: [{ Key: 'team', Value: 'payments' }] }));
  const keys: string[] = [];
  for (let i = 0; i < 2; i += 1)
    keys.push((await c.iam.send(new CreateAccessKeyCommand({ UserName: user.UserName! }))).AccessKey!.AccessKeyId!);
  await c.iam.send(new UpdateAccessKeyCommand({ UserName: user.UserName!, AccessKeyId: keys[1]!, Status: 'Inactive' }));

  // An IAM role with a path.
  const role = (
    await c.iam.send(new CreateRoleCommand({ RoleName: n('app'), Path: '/service-role/', AssumeRolePolicyDocument: lambdaTrust }))
  ).Role!;
  await c.iam.send(new AttachRolePolicyCommand({ RoleName: role.RoleName!, PolicyArn: readOnly }));

  // Two functions sharing one execution role; the compromised one has an event source mapping.
  const shared = (
    await c.iam.send(new CreateRoleCommand({ RoleName: n('shared-exec'), Path: '/app/', AssumeRolePolicyDocument: lambdaTrust }))
  ).Role!;
  const code = { ZipFile: storedZip('index.js', 'exports.handler = async () => "ok";') };
  const fn = async (name: string) =>
    (
      await c.lambda.send(
        new CreateFunctionCommand({ FunctionName: name, Role: shared.Arn!, Runtime: 'nodejs22.x', Handler: 'index.handler', Code: code }),
      )
    ).FunctionArn!;
  const compromisedArn = await fn(n('payments'));
  const healthyArn = await fn(n('reports'));
  await c.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: n('payments'), ReservedConcurrentExecutions: 5 }));
  const { QueueUrl } = await c.sqs.send(new CreateQueueCommand({ QueueName: n('orders') }));
  const { Attributes } = await c.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  // moto gap (ListEventSourceMappings matches FunctionName only as the exact string the mapping was
  // created with): the mapping names the function by its ARN, as lockdown and the checks query it.
  await c.lambda.send(
    new CreateEventSourceMappingCommand({ FunctionName: compromisedArn, EventSourceArn: Attributes!['QueueArn']!, Enabled: true }),
  );

  // An instance with two interfaces in two VPCs and an instance profile shared with a neighbour.
  const networks: Array<{ vpc: string; subnet: string; group: string }> = [];
  for (let i = 0; i < 2; i += 1) {
    const vpc = (await c.ec2.send(new CreateVpcCommand({ CidrBlock: `10.${i}.0.0/16` }))).Vpc!.VpcId!;
    const subnet = (await c.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: `10.${i}.1.0/24` }))).Subnet!.SubnetId!;
    const group = (await c.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: n(`web-${i}`), Description: 'workload' })))
      .GroupId!;
    await c.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: group,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    networks.push({ vpc, subnet, group });
  }
  const profileRole = (await c.iam.send(new CreateRoleCommand({ RoleName: n('web-role'), AssumeRolePolicyDocument: ec2Trust }))).Role!
    .RoleName!;
  const profile = (await c.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: n('web') }))).InstanceProfile!;
  await c.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: profile.InstanceProfileName!, RoleName: profileRole }));
  const run = async () => (await launchInstance(c.ec2, networks[0]!.subnet, networks[0]!.group, profile.Arn!)).InstanceId!;
  const instanceId = await run();
  const neighbour = await run();
  const eni = (await c.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: networks[1]!.subnet, Groups: [networks[1]!.group] })))
    .NetworkInterface!.NetworkInterfaceId!;
  await c.ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eni, InstanceId: instanceId, DeviceIndex: 1 }));
  const instanceArn = (id: string) => `arn:aws:ec2:${region}:${accountId}:instance/${id}`;

  // A bucket shared with a partner account by its policy, with ACLs on and a tag.
  const bucket = n('data');
  await c.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const partner = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'PartnerReads',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::222222222222:root' },
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${bucket}/*`,
      },
    ],
  };
  await c.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(partner) }));
  await c.s3.send(
    new PutBucketOwnershipControlsCommand({ Bucket: bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }),
  );
  await c.s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: 'team', Value: 'data' }] } }));

  return {
    user: { name: user.UserName!, arn: user.Arn!, keys },
    role: { name: role.RoleName!, arn: role.Arn! },
    compromisedFunction: { name: n('payments'), arn: compromisedArn },
    healthyFunction: { name: n('reports'), arn: healthyArn },
    sharedRole: shared.RoleName!,
    instance: { id: instanceId, arn: instanceArn(instanceId), profileRole, neighbourArn: instanceArn(neighbour) },
    bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
    session: { name: 'stolen-laptop', arn: `arn:aws:sts::${accountId}:assumed-role/${shared.RoleName!}/stolen-laptop` },
  };
}

/** A bucket configuration lockdown changes, or null where the bucket has none. */
const absent = async <T>(read: Promise<T>): Promise<T | null> =>
  read.catch((error: Error) => {
    if (/^(NoSuch|OwnershipControlsNotFound)/.test(error.name)) return null;
    throw error;
  });

export async function readBucket(s3: S3Client, bucket: string) {
  const [policy, publicAccessBlock, ownership, tags] = await Promise.all([
    absent(s3.send(new GetBucketPolicyCommand({ Bucket: bucket })).then((r) => JSON.parse(r.Policy ?? '{}') as { Statement: object[] })),
    absent(s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })).then((r) => r.PublicAccessBlockConfiguration ?? {})),
    absent(
      s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket })).then((r) => r.OwnershipControls?.Rules?.[0]?.ObjectOwnership),
    ),
    absent(
      s3
        .send(new GetBucketTaggingCommand({ Bucket: bucket }))
        .then((r) => Object.fromEntries((r.TagSet ?? []).map((t) => [t.Key!, t.Value!]).sort())),
    ),
  ]);
  return { policy, publicAccessBlock, ownership, tags };
}

/** What the drill reads of each entity, independently of the services, to check and compare. */
export async function readPrincipal(iam: IAMClient, kind: 'user' | 'role', name: string) {
  if (kind === 'user') {
    const [user, attached, inline, keys] = await Promise.all([
      iam.send(new GetUserCommand({ UserName: name })),
      iam.send(new ListAttachedUserPoliciesCommand({ UserName: name })),
      iam.send(new ListUserPoliciesCommand({ UserName: name })),
      iam.send(new ListAccessKeysCommand({ UserName: name })),
    ]);
    const documents = await Promise.all(
      (inline.PolicyNames ?? []).map(
        async (p) => [p, decode((await iam.send(new GetUserPolicyCommand({ UserName: name, PolicyName: p }))).PolicyDocument)] as const,
      ),
    );
    return {
      arn: user.User!.Arn!,
      id: user.User!.UserId!,
      attached: (attached.AttachedPolicies ?? []).map((p) => p.PolicyArn!).sort(),
      inline: Object.fromEntries(documents.sort()),
      keys: Object.fromEntries((keys.AccessKeyMetadata ?? []).map((k) => [k.AccessKeyId!, k.Status!]).sort()),
      tags: Object.fromEntries((user.User?.Tags ?? []).map((t) => [t.Key!, t.Value!]).sort()),
      boundary: user.User?.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    };
  }
  const [role, attached, inline] = await Promise.all([
    iam.send(new GetRoleCommand({ RoleName: name })),
    iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name })),
    iam.send(new ListRolePoliciesCommand({ RoleName: name })),
  ]);
  const documents = await Promise.all(
    (inline.PolicyNames ?? []).map(
      async (p) => [p, decode((await iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: p }))).PolicyDocument)] as const,
    ),
  );
  return {
    arn: role.Role!.Arn!,
    id: role.Role!.RoleId!,
    attached: (attached.AttachedPolicies ?? []).map((p) => p.PolicyArn!).sort(),
    inline: Object.fromEntries(documents.sort()),
    keys: {},
    tags: Object.fromEntries((role.Role?.Tags ?? []).map((t) => [t.Key!, t.Value!]).sort()),
    boundary: role.Role?.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
  };
}

export async function readFunction(lambda: LambdaClient, arn: string) {
  // moto gap (GetFunction omits Concurrency when it is 0): concurrency from GetFunctionConcurrency.
  const [fn, concurrency, mappings] = await Promise.all([
    lambda.send(new GetFunctionConfigurationCommand({ FunctionName: arn })),
    lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: arn })),
    lambda.send(new ListEventSourceMappingsCommand({ FunctionName: arn })),
  ]);
  // Each mapping's own tags (lockdown tags the mappings it disables: the organization guard keys on them).
  const mappingTags = await Promise.all(
    (mappings.EventSourceMappings ?? []).map(
      async (m) => [m.UUID!, (await lambda.send(new ListTagsCommand({ Resource: m.EventSourceMappingArn! }))).Tags ?? {}] as const,
    ),
  );
  return {
    role: fn.Role ?? '',
    reservedConcurrency: concurrency.ReservedConcurrentExecutions ?? null,
    mappingTags: Object.fromEntries(mappingTags),
    mappings: Object.fromEntries(
      (mappings.EventSourceMappings ?? []).map((m) => [
        m.UUID!,
        m.State === 'Disabling' ? 'Disabled' : m.State === 'Enabling' ? 'Enabled' : m.State!,
      ]),
    ),
  };
}

export async function readInstance(ec2: EC2Client, instanceId: string) {
  const [described, protection, attached] = await Promise.all([
    ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] })),
    ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'disableApiTermination' })),
    // Interfaces' own tags: DescribeInstances does not show them.
    ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] })),
  ]);
  const tagsOf = (id: string) =>
    Object.fromEntries(
      (attached.NetworkInterfaces?.find((n) => n.NetworkInterfaceId === id)?.TagSet ?? []).map((t) => [t.Key!, t.Value!]).sort(),
    );
  const instance = described.Reservations![0]!.Instances![0]!;
  const interfaces = instance.NetworkInterfaces ?? [];
  const groupIds = [...new Set(interfaces.flatMap((i) => (i.Groups ?? []).map((g) => g.GroupId!)))];
  const { SecurityGroups = [] } = groupIds.length ? await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: groupIds })) : {};
  return {
    terminationProtection: protection.DisableApiTermination?.Value ?? false,
    tags: Object.fromEntries((instance.Tags ?? []).map((t) => [t.Key!, t.Value!]).sort()),
    interfaces: Object.fromEntries(
      interfaces
        // AWS reports no tracking configuration while the defaults apply: the same state as the defaults set explicitly.
        .map(
          (i) =>
            [
              i.NetworkInterfaceId!,
              {
                groups: (i.Groups ?? []).map((g) => g.GroupId!),
                tracking: { ...DEFAULT_TRACKING, ...i.ConnectionTrackingConfiguration },
                tags: tagsOf(i.NetworkInterfaceId!),
              },
            ] as const,
        )
        .sort(),
    ),
    groups: Object.fromEntries(
      SecurityGroups.map((g) => [
        g.GroupId!,
        {
          name: g.GroupName!,
          ingress: (g.IpPermissions ?? []).length,
          egress: (g.IpPermissionsEgress ?? []).length,
          managed: (g.Tags ?? []).some((t) => t.Key === 'lockdown:managed'),
        },
      ]),
    ),
  };
}

/** One small instance of the drills' fixtures, in this subnet and group, with this instance profile. */
export async function launchInstance(ec2: EC2Client, subnet: string, group: string, profileArn: string) {
  const { Instances } = await ec2.send(
    new RunInstancesCommand({
      ImageId: 'ami-0123456789abcdef0',
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      SubnetId: subnet,
      SecurityGroupIds: [group],
      IamInstanceProfile: { Arn: profileArn },
    }),
  );
  return Instances![0]!;
}
