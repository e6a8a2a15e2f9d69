import { stepKinds, type ContainmentAdapter } from '@lockdown/containment';
import type { Ec2InstanceRef } from '@lockdown/contracts';
import { ConnectionTracking, ObservedInstance } from '../domain/observed';
import { Ec2PlanOptions, denyPolicyName, ec2ContainmentGaps, ec2Notes, instanceDenyDocument, planEc2Isolation } from '../domain/plan';
import { autoScalingDetach } from '../steps/auto-scaling-detach';
import type { InstanceContext } from '../steps/context';
import { eniGroups } from '../steps/eni-groups';
import { eniTracking } from '../steps/eni-tracking';
import { instanceTag } from '../steps/instance-tag';
import { interfaceTag } from '../steps/interface-tag';
import { roleGuard } from '../steps/role-guard';
import { roleInlinePolicy } from '../steps/role-inline-policy';
import { snapshot } from '../steps/snapshot';
import { targetDeregistration } from '../steps/target-deregistration';
import { terminationProtection } from '../steps/termination-protection';
import { describeGroup, impostorKindOf, lockdownKindOf } from './security-groups';

const DEFAULT_TRACKING: ConnectionTracking = { TcpEstablishedTimeout: 432000, UdpStreamTimeout: 180, UdpTimeout: 30 };

/**
 * Reads the instance: DescribeInstances and its termination protection in parallel, then its
 * profile roles and lockdown's groups in the interfaces' VPCs in parallel (two round trips).
 * Once the roles are known (verify), the credential deny on each is read too.
 */
export async function observeInstance(ctx: InstanceContext, entity: Ec2InstanceRef): Promise<ObservedInstance> {
  const policyName = denyPolicyName(entity.instanceId);
  const known = ctx.knownRoles ?? [];
  const [instance, interfaceTags, protectedFromTermination, denies, autoScalingGroup, targetRegistrations] = await Promise.all([
    ctx.api.describe(),
    ctx.api.interfaceTags(),
    ctx.api.terminationProtection(),
    Promise.all(
      known.map(async (role) => [role, await ctx.api.rolePolicies.holds(role, policyName, instanceDenyDocument(entity.arn))] as const),
    ),
    ctx.api.detachesFromAutoScaling ? ctx.api.autoScalingGroup() : undefined,
    ctx.api.deregistersTargets ? ctx.api.targetRegistrations() : undefined,
  ]);
  const interfaces = (instance.NetworkInterfaces ?? []).map((n) => ({
    id: n.NetworkInterfaceId ?? '',
    vpcId: n.VpcId ?? instance.VpcId ?? '',
    groups: (n.Groups ?? []).map((g) => g.GroupId ?? ''),
    tracking: {
      TcpEstablishedTimeout: n.ConnectionTrackingConfiguration?.TcpEstablishedTimeout ?? DEFAULT_TRACKING.TcpEstablishedTimeout,
      UdpStreamTimeout: n.ConnectionTrackingConfiguration?.UdpStreamTimeout ?? DEFAULT_TRACKING.UdpStreamTimeout,
      UdpTimeout: n.ConnectionTrackingConfiguration?.UdpTimeout ?? DEFAULT_TRACKING.UdpTimeout,
    },
    deviceIndex: n.Attachment?.DeviceIndex ?? 0,
    tags: interfaceTags[n.NetworkInterfaceId ?? ''] ?? {},
    ...(n.Operator?.Managed ? { managedBy: n.Operator.Principal ?? 'another AWS service' } : {}),
  }));
  const vpcs = [...new Set(interfaces.map((i) => i.vpcId))];
  const profileArn = instance.IamInstanceProfile?.Arn;
  const [profileRoles, found] = await Promise.all([profileArn ? ctx.api.profileRoles(profileArn) : [], ctx.groups.find(vpcs)]);
  ctx.knownRoles = profileRoles;
  const lockdownGroups: ObservedInstance['lockdownGroups'] = {};
  const impostorGroups: ObservedInstance['impostorGroups'] = {};
  for (const group of found) {
    const kind = lockdownKindOf(group);
    const taken = impostorKindOf(group);
    if (!group.VpcId) continue;
    if (kind) {
      ctx.groups.remember(group.VpcId, kind, group);
      (lockdownGroups[group.VpcId] ??= {})[kind] = describeGroup(group, kind);
    } else if (taken) (impostorGroups[group.VpcId] ??= []).push({ kind: taken, id: group.GroupId ?? '' });
  }
  return {
    instanceId: entity.instanceId,
    arn: entity.arn,
    state: instance.State?.Name ?? 'unknown',
    ...(profileArn ? { profileArn } : {}),
    profileRoles,
    terminationProtection: protectedFromTermination,
    tags: Object.fromEntries((instance.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    interfaces,
    volumes: (instance.BlockDeviceMappings ?? []).map((b) => b.Ebs?.VolumeId ?? '').filter(Boolean),
    lockdownGroups,
    impostorGroups,
    ...(autoScalingGroup ? { autoScalingGroup } : {}),
    ...(targetRegistrations ? { targetRegistrations } : {}),
    ...(known.length > 0 ? { denyOnRoles: Object.fromEntries(denies) } : {}),
  };
}

export function ec2ContainmentAdapter(
  entity: Ec2InstanceRef,
  options: Ec2PlanOptions,
): ContainmentAdapter<InstanceContext, ObservedInstance> {
  return {
    observe: (ctx) => observeInstance(ctx, entity),
    // Verify and the watch read the deny on every role the recorded deny steps name.
    recall: (ctx, steps) => {
      const roles = steps.filter((s) => s.kind === roleInlinePolicy.kind).map((s) => roleInlinePolicy.paramsOf(s).roleName);
      if (roles.length > 0) ctx.knownRoles ??= roles;
    },
    plan: (state) => planEc2Isolation(state, options),
    snapshot: ({ denyOnRoles: _ours, lockdownGroups: _groups, impostorGroups: _impostors, ...state }) => JSON.parse(JSON.stringify(state)),
    kinds: stepKinds<InstanceContext, ObservedInstance>(
      roleInlinePolicy,
      eniGroups,
      eniTracking,
      terminationProtection,
      instanceTag,
      interfaceTag,
      autoScalingDetach,
      targetDeregistration,
      snapshot,
      roleGuard,
    ),
    containmentGaps: ec2ContainmentGaps,
    notes: ec2Notes,
  };
}
