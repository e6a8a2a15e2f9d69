import type { PlannedStep } from '@lockdown/containment';
import { ContainmentError } from '@lockdown/containment';
import { CONTAINMENT_TAG, GUARD_TAG, LOCKDOWN_NAME_PREFIX } from '@lockdown/contracts';
import { ConnectionTracking, ObservedInstance, ObservedInterface } from './observed';
import * as kinds from './step-kinds';

/** The shortest connection-tracking timeouts EC2 accepts. */
export const MINIMUM_TRACKING: ConnectionTracking = { TcpEstablishedTimeout: 60, UdpStreamTimeout: 60, UdpTimeout: 30 };
/** Steps of this stage and later run on the delayed follow-up message (phase 2). */
export const PHASE_2_STAGE = 10;

export interface Ec2PlanOptions {
  requestId: string;
  /** Seconds in the "untracked" group before isolation; 0 isolates at once. */
  untrackedWindowSeconds: number;
  /** Snapshot every attached EBS volume for forensics (kept on release). */
  snapshotVolumes: boolean;
  /** Detach the instance from its Auto Scaling group, keeping the desired capacity (so the group does not terminate the evidence). */
  detachAutoScaling: boolean;
  /** Deregister the instance from its load-balancer target groups. */
  deregisterTargets: boolean;
}

export const denyPolicyName = (instanceId: string) => `${LOCKDOWN_NAME_PREFIX}deny-ec2-${instanceId}`;

/** Denies every action to credentials issued to this instance, wherever they are used from. */
export function instanceDenyDocument(instanceArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'LockdownDenyInstanceCredentials',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { ArnEquals: { 'ec2:SourceInstanceARN': instanceArn } },
      },
    ],
  });
}

const own = (i: ObservedInterface) => i.managedBy === undefined;

const sameTracking = (a: ConnectionTracking, b: ConnectionTracking) =>
  a.TcpEstablishedTimeout === b.TcpEstablishedTimeout && a.UdpStreamTimeout === b.UdpStreamTimeout && a.UdpTimeout === b.UdpTimeout;

/**
 * Plans the isolation of an EC2 instance. Pure.
 * - stage 0: deny the instance's credentials on every instance-profile role (credentials first);
 * - stage 1 (parallel): per own interface, minimum tracking timeouts and the untracked group of
 *   its VPC; termination protection; tag; optional snapshots;
 * - stage 10 (phase 2, after the untracked window): per interface, the isolation group of its VPC.
 * With a window of 0, or for a stopped instance, the isolation group is applied in stage 1 and
 * there is no phase 2. A group that took one of lockdown's names changes nothing: lockdown's own
 * groups are found by their tags, and made under a name of their own (named in the audit).
 */
export function planEc2Isolation(observed: ObservedInstance, options: Ec2PlanOptions): PlannedStep[] {
  if (observed.state === 'terminated' || observed.state === 'shutting-down')
    throw new ContainmentError(`instance ${observed.instanceId} is ${observed.state}: there is nothing left to isolate`, {
      retryable: false,
      code: 'instance-terminated',
    });
  // A stopped instance has no connection to turn into untracked ones: it is isolated at once.
  const window = observed.state === 'stopped' ? 0 : options.untrackedWindowSeconds;
  return [
    ...credentialSteps(observed),
    ...observed.interfaces.filter(own).flatMap((eni) => interfaceSteps(observed, eni, window)),
    ...markingSteps(observed, options.requestId),
    ...optionSteps(observed, options),
  ];
}

/** Stage 0: the instance's credentials denied on every instance-profile role (credentials first). */
function credentialSteps(observed: ObservedInstance): PlannedStep[] {
  return observed.profileRoles.map((roleName) =>
    kinds.roleInlinePolicy.step(
      {
        id: `deny-instance-credentials:${roleName}`,
        description: `Deny credentials of ${observed.instanceId} on instance-profile role ${roleName}`,
        stage: 0,
        original: null,
        calls: {
          apply: ['iam:GetRolePolicy', 'iam:PutRolePolicy'],
          undo: ['iam:GetRolePolicy', 'iam:DeleteRolePolicy', 'iam:ListRolePolicies', 'iam:UntagRole'],
        },
      },
      { roleName, policyName: denyPolicyName(observed.instanceId), document: instanceDenyDocument(observed.arn) },
    ),
  );
}

/** One own interface: minimum tracking timeouts, the untracked group for the window, then the isolation group. */
function interfaceSteps(observed: ObservedInstance, eni: ObservedInterface, window: number): PlannedStep[] {
  const steps: PlannedStep[] = [];
  if (!sameTracking(eni.tracking, MINIMUM_TRACKING))
    steps.push(
      kinds.eniTracking.step(
        {
          id: `tracking:${eni.id}`,
          description: `Set connection-tracking timeouts of ${eni.id} to their minimums (TCP established 60 s, UDP stream 60 s, UDP 30 s)`,
          stage: 1,
          original: { ...eni.tracking },
          calls: { apply: ['ec2:ModifyNetworkInterfaceAttribute'], undo: ['ec2:ModifyNetworkInterfaceAttribute'] },
        },
        { networkInterfaceId: eni.id, tracking: { ...MINIMUM_TRACKING } },
      ),
    );
  const isolateId = `isolate:${eni.id}`;
  if (window > 0)
    steps.push(
      kinds.eniGroups.step(
        {
          id: `untracked:${eni.id}`,
          description: `Move ${eni.id} to the untracked group of ${eni.vpcId} for ${window} s (turns tracked connections into untracked ones)`,
          stage: 1,
          original: [...eni.groups],
          calls: { apply: ['ec2:ModifyNetworkInterfaceAttribute'], undo: ['ec2:ModifyNetworkInterfaceAttribute'] },
          undoneBy: isolateId,
        },
        { networkInterfaceId: eni.id, vpcId: eni.vpcId, target: 'untracked' },
      ),
    );
  steps.push(
    kinds.eniGroups.step(
      {
        id: isolateId,
        description: `Move ${eni.id} to the isolation group of ${eni.vpcId} (no inbound, no outbound)`,
        stage: window > 0 ? PHASE_2_STAGE : 1,
        original: [...eni.groups],
        calls: { apply: ['ec2:ModifyNetworkInterfaceAttribute'], undo: ['ec2:ModifyNetworkInterfaceAttribute'] },
      },
      { networkInterfaceId: eni.id, vpcId: eni.vpcId, target: 'isolation' },
    ),
  );

  return steps;
}

/** What keeps the evidence and marks what lockdown touched: termination protection, the tags, the guarded roles. */
function markingSteps(observed: ObservedInstance, requestId: string): PlannedStep[] {
  const steps: PlannedStep[] = [];
  if (!observed.terminationProtection)
    steps.push(
      kinds.terminationProtection.step(
        {
          id: 'termination-protection',
          description: `Enable termination protection on ${observed.instanceId} (keep the evidence)`,
          stage: 1,
          original: false,
          calls: { apply: ['ec2:ModifyInstanceAttribute'], undo: ['ec2:ModifyInstanceAttribute'] },
        },
        { instanceId: observed.instanceId },
      ),
    );
  const previousTag = observed.tags[CONTAINMENT_TAG] ?? null;
  steps.push(
    kinds.instanceTag.step(
      {
        id: 'tag',
        description: `Tag ${observed.instanceId} ${CONTAINMENT_TAG}=${requestId}`,
        stage: 1,
        original: previousTag,
        calls: { apply: ['ec2:CreateTags'], undo: [previousTag === null ? 'ec2:DeleteTags' : 'ec2:CreateTags'] },
      },
      { instanceId: observed.instanceId, key: CONTAINMENT_TAG, value: requestId },
    ),
  );
  // Each interface lockdown moves carries the tag too: the organization guard freezes interfaces by
  // their own tags (ModifyNetworkInterfaceAttribute acts on the network-interface resource).
  // One step per interface (like its groups): a release that finds one deleted still untags the others.
  for (const eni of observed.interfaces.filter(own))
    steps.push(
      kinds.interfaceTag.step(
        {
          id: `interface-tag:${eni.id}`,
          description: `Tag interface ${eni.id} ${CONTAINMENT_TAG}=${requestId}`,
          stage: 1,
          original: null,
          calls: { apply: ['ec2:CreateTags'], undo: ['ec2:DeleteTags'] },
        },
        { interfaceId: eni.id, key: CONTAINMENT_TAG, value: requestId },
      ),
    );
  for (const roleName of observed.profileRoles)
    steps.push(
      kinds.roleGuard.step(
        {
          id: `guard-role:${roleName}`,
          description: `Mark role ${roleName} ${GUARD_TAG} (the organization guard freezes its policies while the deny is on it)`,
          stage: 1,
          original: null,
          calls: { apply: ['iam:TagRole'], undo: [] },
        },
        { roleName, ownPolicyName: denyPolicyName(observed.instanceId) },
      ),
    );
  return steps;
}

/** The operator's options: out of Auto Scaling, out of the load balancers, forensic snapshots. */
function optionSteps(observed: ObservedInstance, options: Ec2PlanOptions): PlannedStep[] {
  const steps: PlannedStep[] = [];
  if (options.detachAutoScaling && observed.autoScalingGroup)
    steps.push(
      kinds.autoScalingDetach.step(
        {
          id: 'detach-auto-scaling',
          description: `Detach ${observed.instanceId} from Auto Scaling group ${observed.autoScalingGroup} without decrementing its desired capacity`,
          stage: 1,
          original: observed.autoScalingGroup,
          calls: { apply: ['autoscaling:DetachInstances'], undo: ['autoscaling:AttachInstances'] },
        },
        { groupName: observed.autoScalingGroup, instanceId: observed.instanceId },
      ),
    );
  if (options.deregisterTargets)
    for (const registration of observed.targetRegistrations ?? [])
      steps.push(
        kinds.targetDeregistration.step(
          {
            id: `deregister:${registration.targetGroupArn}:${registration.port}`,
            description: `Deregister ${observed.instanceId}:${registration.port} from target group ${registration.targetGroupArn.split(':').pop()}`,
            stage: 1,
            original: 'registered',
            calls: { apply: ['elasticloadbalancing:DeregisterTargets'], undo: ['elasticloadbalancing:RegisterTargets'] },
          },
          { ...registration, instanceId: observed.instanceId },
        ),
      );
  if (options.snapshotVolumes)
    for (const volumeId of observed.volumes)
      steps.push(
        kinds.snapshot.step(
          {
            id: `snapshot:${volumeId}`,
            description: `Snapshot ${volumeId} for forensics (kept on release)`,
            stage: 1,
            original: null,
            calls: { apply: ['ec2:CreateSnapshot'], undo: [] },
          },
          { volumeId, instanceId: observed.instanceId, requestId: options.requestId },
        ),
      );
  return steps;
}

/** Isolation holds when the credentials are denied; network steps are checked one by one. */
export function ec2ContainmentGaps(observed: ObservedInstance): string[] {
  return Object.entries(observed.denyOnRoles ?? {})
    .filter(([, present]) => !present)
    .map(([role]) => `the credential deny is missing from role ${role}`);
}

export function ec2Notes(observed: ObservedInstance): string[] {
  const notes: string[] = [];
  if (observed.profileRoles.length === 0) notes.push('the instance has no instance profile: there are no instance credentials to deny');
  if (observed.state === 'stopped' || observed.state === 'stopping')
    notes.push(`the instance is ${observed.state}: isolated anyway, so it stays isolated if started`);
  for (const eni of observed.interfaces.filter((i) => !own(i)))
    notes.push(`interface ${eni.id} is managed by ${eni.managedBy} and was left alone`);
  for (const vpcId of new Set(observed.interfaces.filter(own).map((i) => i.vpcId)))
    for (const { kind, id } of observed.impostorGroups[vpcId] ?? [])
      notes.push(
        `security group ${id} in ${vpcId} carries lockdown's ${kind} group name but was not created by lockdown (prepared by an attacker?): ` +
          `never used nor changed; lockdown's own ${kind} group is found by its tags, under a name of its own`,
      );
  return notes;
}
