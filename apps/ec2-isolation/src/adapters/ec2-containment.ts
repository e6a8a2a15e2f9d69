import type { ContainmentAdapter, PlannedStep, StepKind } from '@lockdown/containment';
import type { Ec2InstanceRef } from '@lockdown/contracts';
import { ConnectionTracking, LockdownGroupKind, ObservedInstance } from '../domain/observed';
import { Ec2PlanOptions, denyPolicyName, ec2ContainmentGaps, ec2Notes, planEc2Isolation } from '../domain/plan';
import { InstanceApi } from './instance-api';
import { GROUP_NAMES, SecurityGroups, describeGroup } from './security-groups';

/** The APIs, lockdown's security groups, and what an earlier observation taught (the roles). */
export interface InstanceContext {
  api: InstanceApi;
  groups: SecurityGroups;
  knownRoles?: string[];
}

type Kind = StepKind<InstanceContext, ObservedInstance>;
const params = (step: PlannedStep) => step.params as Record<string, unknown>;
const str = (step: PlannedStep, key: string) => String(params(step)[key]);

const DEFAULT_TRACKING: ConnectionTracking = { TcpEstablishedTimeout: 432000, UdpStreamTimeout: 180, UdpTimeout: 30 };

const roleInlinePolicy: Kind = {
  apply: ({ api }, s) => api.rolePolicies.put(str(s, 'roleName'), str(s, 'policyName'), str(s, 'document')),
  undo: ({ api }, s) => api.rolePolicies.remove(str(s, 'roleName'), str(s, 'policyName')),
  inEffect: (state, s) => state.denyOnRoles?.[str(s, 'roleName')] !== false,
};

const interfaceOf = (state: ObservedInstance, s: PlannedStep) => state.interfaces.find((i) => i.id === str(s, 'networkInterfaceId'));
const groupId = (state: ObservedInstance, vpcId: string, kind: LockdownGroupKind) => state.lockdownGroups[vpcId]?.[kind]?.id;

const eniGroups: Kind = {
  apply: async ({ api, groups }, s) => {
    const id = await groups.ensure(str(s, 'vpcId'), str(s, 'target') as LockdownGroupKind);
    await api.setGroups(str(s, 'networkInterfaceId'), [id]);
  },
  undo: async ({ api }, s) => void (await api.setGroups(str(s, 'networkInterfaceId'), s.original as string[])),
  inEffect: (state, s) => {
    const eni = interfaceOf(state, s);
    if (!eni) return true; // detached or deleted since: it carries no traffic of this instance
    const vpc = str(s, 'vpcId');
    const accepted = str(s, 'target') === 'untracked' ? [groupId(state, vpc, 'untracked'), groupId(state, vpc, 'isolation')] : [groupId(state, vpc, 'isolation')];
    return eni.groups.length === 1 && accepted.includes(eni.groups[0]);
  },
};

const eniTracking: Kind = {
  apply: async ({ api }, s) => void (await api.setTracking(str(s, 'networkInterfaceId'), params(s)['tracking'] as ConnectionTracking)),
  undo: async ({ api }, s) => void (await api.setTracking(str(s, 'networkInterfaceId'), s.original as unknown as ConnectionTracking)),
  inEffect: (state, s) => {
    const eni = interfaceOf(state, s);
    const wanted = params(s)['tracking'] as ConnectionTracking;
    return !eni || (eni.tracking.TcpEstablishedTimeout === wanted.TcpEstablishedTimeout && eni.tracking.UdpStreamTimeout === wanted.UdpStreamTimeout && eni.tracking.UdpTimeout === wanted.UdpTimeout);
  },
};

const terminationProtection: Kind = {
  apply: async ({ api }) => void (await api.setTerminationProtection(true)),
  undo: async ({ api }, s) => void (await api.setTerminationProtection(Boolean(s.original))),
  inEffect: (state) => state.terminationProtection,
};

const instanceTag: Kind = {
  apply: async ({ api }, s) => void (await api.tag(str(s, 'key'), str(s, 'value'))),
  undo: async ({ api }, s) => void (await (s.original === null ? api.untag(str(s, 'key')) : api.tag(str(s, 'key'), String(s.original)))),
  inEffect: (state, s) => state.tags[str(s, 'key')] === str(s, 'value'),
};

const autoScalingDetach: Kind = {
  apply: async ({ api }, s) => void (await api.detachFromGroup(str(s, 'groupName'))),
  // Re-attaching raises the group's desired capacity by one (AWS's rule), which keeps the
  // replacement the group launched in the meantime: the instance is back, nothing is terminated.
  undo: async ({ api }, s) => void (await api.attachToGroup(str(s, 'groupName'))),
  inEffect: (state, s) => state.autoScalingGroup !== str(s, 'groupName'),
};

const targetDeregistration: Kind = {
  apply: async ({ api }, s) => void (await api.deregisterTarget(str(s, 'targetGroupArn'), Number(params(s)['port']))),
  undo: async ({ api }, s) => void (await api.registerTarget(str(s, 'targetGroupArn'), Number(params(s)['port']))),
  inEffect: (state, s) => !(state.targetRegistrations ?? []).some((r) => r.targetGroupArn === str(s, 'targetGroupArn') && r.port === Number(params(s)['port'])),
};

const snapshot: Kind = {
  apply: async ({ api }, s) => void (await api.snapshot(str(s, 'volumeId'), str(s, 'requestId'))),
  // Forensic evidence is kept when the instance is released.
  undo: async () => undefined,
  inEffect: () => true,
};

/**
 * Reads the instance: DescribeInstances and its termination protection in parallel, then its
 * profile roles and lockdown's groups in the interfaces' VPCs in parallel (two round trips).
 * Once the roles are known (verify), the credential deny on each is read too.
 */
export async function observeInstance(ctx: InstanceContext, entity: Ec2InstanceRef): Promise<ObservedInstance> {
  const policyName = denyPolicyName(entity.instanceId);
  const known = ctx.knownRoles ?? [];
  const [instance, protectedFromTermination, denies, autoScalingGroup, targetRegistrations] = await Promise.all([
    ctx.api.describe(),
    ctx.api.terminationProtection(),
    Promise.all(known.map(async (role) => [role, await ctx.api.rolePolicies.has(role, policyName)] as const)),
    ctx.api.autoScaling ? ctx.api.autoScalingGroup() : undefined,
    ctx.api.loadBalancing ? ctx.api.targetRegistrations() : undefined,
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
    ...(n.Operator?.Managed ? { managedBy: n.Operator.Principal ?? 'another AWS service' } : {}),
  }));
  const vpcs = [...new Set(interfaces.map((i) => i.vpcId))];
  const profileArn = instance.IamInstanceProfile?.Arn;
  const [profileRoles, found] = await Promise.all([profileArn ? ctx.api.profileRoles(profileArn) : [], ctx.groups.find(vpcs)]);
  ctx.knownRoles = profileRoles;
  const lockdownGroups: ObservedInstance['lockdownGroups'] = {};
  for (const group of found) {
    const kind = (Object.keys(GROUP_NAMES) as LockdownGroupKind[]).find((k) => GROUP_NAMES[k] === group.GroupName);
    if (!kind || !group.VpcId) continue;
    ctx.groups.remember(group.VpcId, kind, group);
    (lockdownGroups[group.VpcId] ??= {})[kind] = describeGroup(group, kind);
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
    ...(autoScalingGroup ? { autoScalingGroup } : {}),
    ...(targetRegistrations ? { targetRegistrations } : {}),
    ...(known.length > 0 ? { denyOnRoles: Object.fromEntries(denies) } : {}),
  };
}

export function ec2ContainmentAdapter(entity: Ec2InstanceRef, options: Ec2PlanOptions): ContainmentAdapter<InstanceContext, ObservedInstance> {
  return {
    observe: (ctx) => observeInstance(ctx, entity),
    plan: (state) => planEc2Isolation(state, options),
    snapshot: ({ denyOnRoles: _ours, lockdownGroups: _groups, ...state }) => JSON.parse(JSON.stringify(state)),
    kinds: {
      'role-inline-policy': roleInlinePolicy,
      'eni-groups': eniGroups,
      'eni-tracking': eniTracking,
      'termination-protection': terminationProtection,
      'instance-tag': instanceTag,
      'auto-scaling-detach': autoScalingDetach,
      'target-deregistration': targetDeregistration,
      snapshot,
    },
    containmentGaps: ec2ContainmentGaps,
    notes: ec2Notes,
  };
}
