import {
  AttachNetworkInterfaceCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeNetworkInterfacesCommand,
  ReplaceIamInstanceProfileAssociationCommand,
} from '@aws-sdk/client-ec2';
import { PutRolePolicyCommand, TagRoleCommand, UntagUserCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { DeleteFunctionCommand } from '@aws-sdk/client-lambda';
import { CONTAINMENT_TAG } from '@lockdown/contracts';
import { GROUP_NAMES } from '@lockdown/ec2-isolation';
import { customActionArn } from '@lockdown/findings';
import { asffFinding, customActionEvent, guardDutyFindingEvent, guardDutyResource } from '@lockdown/sandbox';
import { AuditEmail, LocalPipeline } from '../local-pipeline';
import { EXTERNAL_ID, MEMBER_ROLE, REGION, SANDBOX_MEMBER_ACCOUNT, SECURITY_ACCOUNT } from '../drill-accounts';
import { isRefusal } from './attacker';
import { CallResult } from './escape-verdict';
import { AttackerClients } from './targets';

/**
 * The README attacker's escapes, one function each: the calls it makes with the second
 * administrator's clients (or the messages it sends lockdown), and what AWS or lockdown answered.
 * Reading what came of them, and the verdict, is the campaign's (readme-attacker.ts).
 */

/** What AWS answered one call. */
export const attempt = (call: Promise<unknown>): Promise<CallResult> =>
  call.then(
    () => 'allowed' as const,
    (error: unknown) => (isRefusal(error) ? ('refused' as const) : ('failed' as const)),
  );

const allowAll = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

/** 1. Take over lockdown's member role: trust the backdoor, give the role a policy of the attacker's. */
export async function takeOverMemberRole(admin: AttackerClients, backdoorArn: string): Promise<CallResult[]> {
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: backdoorArn }, Action: 'sts:AssumeRole' }],
  });
  return Promise.all([
    attempt(admin.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: MEMBER_ROLE, PolicyDocument: trust }))),
    attempt(admin.iam.send(new PutRolePolicyCommand({ RoleName: MEMBER_ROLE, PolicyName: 'backdoor', PolicyDocument: allowAll }))),
  ]);
}

/** 2. Remove a contained user's containment tag, spelled in another casing than the guard's. */
export async function untagInAnotherCasing(admin: AttackerClients, userName: string): Promise<CallResult[]> {
  const casing = CONTAINMENT_TAG.replace(/(^|:)(\w)/g, (_, sep: string, c: string) => sep + c.toUpperCase());
  return [await attempt(admin.iam.send(new UntagUserCommand({ UserName: userName, TagKeys: [casing] })))];
}

/** 3. Tag a break-glass role as contained, in upper case: under a guard, that would deny it everything. */
export async function tagBreakGlass(admin: AttackerClients, roleName: string): Promise<CallResult[]> {
  const Tags = [{ Key: CONTAINMENT_TAG.toUpperCase(), Value: 'forged' }];
  return [await attempt(admin.iam.send(new TagRoleCommand({ RoleName: roleName, Tags })))];
}

/** 5. Squat lockdown's security-group names in the instance's VPC (before containment): returns the groups made. */
export async function squatIsolationGroups(admin: AttackerClients, vpcId: string): Promise<string[]> {
  const created = await Promise.all(
    Object.values(GROUP_NAMES).map((GroupName) =>
      admin.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName, Description: 'looks like lockdown' })),
    ),
  );
  return created.map((g) => g.GroupId!);
}

/** 6. Fill a role's inline-policy quota (10,240 bytes for a role, IAM's "IAM and AWS STS quotas") to a few bytes short. */
export async function padInlinePolicies(admin: AttackerClients, roleName: string, quota: number): Promise<number> {
  const PolicyName = 'notes';
  const document = (padding: number) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'n'.repeat(padding)}` }],
    });
  const size = PolicyName.length + document(0).length;
  const padding = quota - size - 8;
  await admin.iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName, PolicyDocument: document(padding) }));
  return size + padding;
}

/** 7. Give a contained instance a fresh interface and another instance profile. */
export async function openInstanceDoors(
  admin: AttackerClients,
  instanceId: string,
  subnetId: string,
  groupId: string,
  profileArn: string,
): Promise<{ results: CallResult[]; attachmentId?: string }> {
  const { NetworkInterface } = await admin.ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId, Groups: [groupId] }));
  const { IamInstanceProfileAssociations = [] } = await admin.ec2.send(
    new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: [instanceId] }] }),
  );
  let attachmentId: string | undefined;
  const attach = admin.ec2
    .send(
      new AttachNetworkInterfaceCommand({
        InstanceId: instanceId,
        NetworkInterfaceId: NetworkInterface!.NetworkInterfaceId!,
        DeviceIndex: 1,
      }),
    )
    .then((r) => (attachmentId = r.AttachmentId));
  const replace = admin.ec2.send(
    new ReplaceIamInstanceProfileAssociationCommand({
      AssociationId: IamInstanceProfileAssociations[0]!.AssociationId!,
      IamInstanceProfile: { Arn: profileArn },
    }),
  );
  const results = await Promise.all([attempt(attach), attempt(replace)]);
  return { results, ...(attachmentId ? { attachmentId } : {}) };
}

/** 8. Delete the contained function. */
export async function deleteFunction(admin: AttackerClients, functionArn: string): Promise<CallResult[]> {
  return [await attempt(admin.lambda.send(new DeleteFunctionCommand({ FunctionName: functionArn })))];
}

/** 9. Ask for a release through the ingress topic (the contain authority), with the right ExternalId. */
export async function releaseThroughIngress(pipeline: LocalPipeline, arn: string): Promise<void> {
  await pipeline.publish([arn], EXTERNAL_ID, 'release', undefined, 'ingress');
}

/** 10. Press the Security Hub release action on a finding about the entity: the rules it matched. */
export function pressReleaseAction(pipeline: LocalPipeline, userArn: string): Promise<string[]> {
  const finding = asffFinding(SANDBOX_MEMBER_ACCOUNT, REGION, [{ Type: 'AwsIamUser', Id: userArn }]);
  return pipeline.putFindingEvent(
    customActionEvent(customActionArn('aws', REGION, SECURITY_ACCOUNT, 'release'), [finding], REGION, SECURITY_ACCOUNT),
  );
}

/** 11. "Generate sample findings": a sample whose type and severity the contain policy acts on, naming a real function. */
export async function generateSampleFinding(pipeline: LocalPipeline, functionArn: string): Promise<{ rules: string[]; findingId: string }> {
  const event = guardDutyFindingEvent({
    type: 'Backdoor:Lambda/C&CActivity.B',
    severity: 8,
    accountId: SANDBOX_MEMBER_ACCOUNT,
    region: REGION,
    resource: guardDutyResource.lambda(functionArn),
    sample: true,
    adminAccount: SECURITY_ACCOUNT,
  });
  return { rules: await pipeline.putFindingEvent(event), findingId: (event.detail as { id: string }).id };
}

/** The audit emails of one kind about one ARN (as the entity's ARN, the rejected target or the finding). */
export const emailsAbout = (emails: AuditEmail[], kind: string, text: string) =>
  emails.filter((e) => e.subject.startsWith(`[lockdown] ${kind} `) && e.body.includes(text));

/** The reason code an audit email carries. */
export const reasonCode = (email: AuditEmail | undefined) => /^Reason code: (\S+)$/m.exec(email?.body ?? '')?.[1];

/** The interfaces' groups of an instance, read with the drill's own administrator. */
export async function interfaceGroups(ec2: AttackerClients['ec2'], instanceId: string): Promise<string[]> {
  const { NetworkInterfaces = [] } = await ec2.send(
    new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] }),
  );
  return NetworkInterfaces.flatMap((n) => (n.Groups ?? []).map((g) => g.GroupId!));
}
