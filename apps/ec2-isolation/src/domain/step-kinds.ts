import { declareStepKind, roleStepKinds } from '@lockdown/containment';
import { enum as zEnum, number, object, string } from 'zod/mini';

/** An interface's connection-tracking timeouts, as a tracking step records and restores them. */
export const connectionTracking = object({ TcpEstablishedTimeout: number(), UdpStreamTimeout: number(), UdpTimeout: number() });

/** The kinds of step an instance's plan is made of: each one's name and params (implemented in steps/, one per file). */
export const kinds = {
  ...roleStepKinds,
  /** One interface moved to lockdown's untracked or isolation group of its own VPC; release restores its own groups. */
  eniGroups: declareStepKind(
    'eni-groups',
    object({ networkInterfaceId: string(), vpcId: string(), target: zEnum(['untracked', 'isolation']) }),
  ),
  /** One interface's connection-tracking timeouts at their minimums; release restores its own. */
  eniTracking: declareStepKind('eni-tracking', object({ networkInterfaceId: string(), tracking: connectionTracking })),
  /** Termination protection on (keep the evidence); release restores the previous setting. */
  terminationProtection: declareStepKind('termination-protection', object({ instanceId: string() })),
  /** The containment tag on the instance; release restores the previous value, or removes the tag. */
  instanceTag: declareStepKind('instance-tag', object({ instanceId: string(), key: string(), value: string() })),
  /** The containment tag on one interface lockdown moves; release removes it. */
  interfaceTag: declareStepKind('interface-tag', object({ interfaceId: string(), key: string(), value: string() })),
  /** Out of its Auto Scaling group, desired capacity kept (the group does not terminate the evidence). */
  autoScalingDetach: declareStepKind('auto-scaling-detach', object({ groupName: string(), instanceId: string() })),
  /** Out of one load-balancer target group on one port; release registers it back on that port. */
  targetDeregistration: declareStepKind(
    'target-deregistration',
    object({ targetGroupArn: string(), port: number(), instanceId: string() }),
  ),
  /** A forensic snapshot of one volume, kept when the instance is released. */
  snapshot: declareStepKind('snapshot', object({ volumeId: string(), instanceId: string(), requestId: string() })),
};
