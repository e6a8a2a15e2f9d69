import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand } from '@aws-sdk/client-ec2';
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  CreateUserCommand,
} from '@aws-sdk/client-iam';
import { CreateFunctionCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { IAM_QUOTAS } from '@lockdown/sandbox';
import { DRILL_BREAK_GLASS_ROLE } from '../local-pipeline';
import { MemberClients, launchInstance } from '../member-api';
import { REGION, SANDBOX_MEMBER_ACCOUNT } from '../drill-accounts';
import { padInlinePolicies, squatIsolationGroups } from './escapes';
import { AttackerClients, clientsFor } from './targets';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
/** A role's inline-policy quota (IAM and AWS STS quotas: 10,240 characters), as the sandbox enforces it. */
export const ROLE_INLINE_QUOTA = IAM_QUOTAS.roleInlineBytes;

/** What the README attacker works on: made before containment, some by the drill, some by the attacker. */
export interface Scene {
  backdoorArn: string;
  admin: AttackerClients;
  user: { name: string; arn: string };
  backdoorRole: { name: string; arn: string };
  padded: { arn: string; role: string };
  doomed: { arn: string };
  instance: { id: string; arn: string; vpc: string; subnet: string; group: string; profile: string; attackerProfile: string };
  squatted: string[];
  paddedBytes: number;
}

/**
 * The scene: a second administrator; a user, a function and an instance the drill made (and will
 * contain); a break-glass role; and what the attacker prepared with its second administrator before
 * containment: a lockdown-backdoor role, lockdown's group names squatted, a role's policies padded.
 */
export async function prepare(c: MemberClients): Promise<Scene> {
  const suffix = Date.now().toString(36).slice(-5);
  const n = (name: string) => `readme-${name}-${suffix}`;
  const trust = (service: string) =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
  const adminRole = async (iam: AttackerClients['iam'], name: string, service: string) => {
    const role = (await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust(service) }))).Role!;
    await iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: ADMIN }));
    return role.Arn!;
  };
  const adminUser = async (name: string) => {
    const { User } = await c.iam.send(new CreateUserCommand({ UserName: name, Path: '/' }));
    await c.iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: ADMIN }));
    const { AccessKey } = await c.iam.send(new CreateAccessKeyCommand({ UserName: name }));
    return { arn: User!.Arn!, credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } };
  };
  const backdoor = await adminUser(n('second-admin'));
  const admin = clientsFor(backdoor.credentials);
  const user = n('user');
  const userArn = (await adminUser(user)).arn;
  await adminRole(c.iam, DRILL_BREAK_GLASS_ROLE, 'ec2.amazonaws.com');
  const backdoorRole = 'lockdown-backdoor';
  const backdoorRoleArn = await adminRole(admin.iam, backdoorRole, 'ec2.amazonaws.com');

  const fn = async (name: string) => {
    const role = n(`${name}-role`);
    const arn = (
      await c.lambda.send(
        new CreateFunctionCommand({
          FunctionName: n(name),
          Role: await adminRole(c.iam, role, 'lambda.amazonaws.com'),
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          Code: { ZipFile: new Uint8Array(1) },
        }),
      )
    ).FunctionArn!;
    await c.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: arn, ReservedConcurrentExecutions: 5 }));
    return { arn, role };
  };
  const [padded, doomed] = await Promise.all([fn('padded'), fn('doomed')]);
  const paddedBytes = await padInlinePolicies(admin, padded.role, ROLE_INLINE_QUOTA);

  const vpc = (await c.ec2.send(new CreateVpcCommand({ CidrBlock: '10.8.0.0/16' }))).Vpc!.VpcId!;
  const subnet = (await c.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.8.1.0/24' }))).Subnet!.SubnetId!;
  const group = (await c.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: n('web'), Description: 'workload' }))).GroupId!;
  const profile = async (name: string) => {
    const role = n(`${name}-role`);
    await adminRole(c.iam, role, 'ec2.amazonaws.com');
    const made = (await c.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: n(name) }))).InstanceProfile!;
    await c.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: made.InstanceProfileName!, RoleName: role }));
    return made.Arn!;
  };
  const [webProfile, attackerProfile] = await Promise.all([profile('web'), profile('attacker')]);
  const instance = (await launchInstance(c.ec2, subnet, group, webProfile)).InstanceId!;
  const squatted = await squatIsolationGroups(admin, vpc);
  return {
    backdoorArn: backdoor.arn,
    admin,
    user: { name: user, arn: userArn },
    backdoorRole: { name: backdoorRole, arn: backdoorRoleArn },
    padded,
    doomed,
    instance: {
      id: instance,
      arn: `arn:aws:ec2:${REGION}:${SANDBOX_MEMBER_ACCOUNT}:instance/${instance}`,
      vpc,
      subnet,
      group,
      profile: webProfile,
      attackerProfile,
    },
    squatted,
    paddedBytes,
  };
}
