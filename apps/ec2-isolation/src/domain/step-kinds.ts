// The kinds of step an instance's plan is made of: each one's name and params (one zod schema, the
// params type inferred from it). plan.ts builds every step through them (`import * as kinds from
// './step-kinds'`, then `kinds.<kind>.step(fields, params)`); steps/ implements each kind in its own file.
import { declareStepKind } from '@lockdown/containment';
import { enum as zEnum, number, object, string } from 'zod/mini';

/** An interface's connection-tracking timeouts, as a tracking step records and restores them. */
export const connectionTracking = object({ TcpEstablishedTimeout: number(), UdpStreamTimeout: number(), UdpTimeout: number() });

export { roleGuard, roleInlinePolicy } from '@lockdown/containment';

/** One interface moved to lockdown's untracked or isolation group of its own VPC; release restores its own groups. */
export const eniGroups = declareStepKind(
  'eni-groups',
  object({ networkInterfaceId: string(), vpcId: string(), target: zEnum(['untracked', 'isolation']) }),
);

/** One interface's connection-tracking timeouts at their minimums; release restores its own. */
export const eniTracking = declareStepKind('eni-tracking', object({ networkInterfaceId: string(), tracking: connectionTracking }));

/** Termination protection on (keep the evidence); release restores the previous setting. */
export const terminationProtection = declareStepKind('termination-protection', object({ instanceId: string() }));

/** The containment tag on the instance; release restores the previous value, or removes the tag. */
export const instanceTag = declareStepKind('instance-tag', object({ instanceId: string(), key: string(), value: string() }));

/** The containment tag on one interface lockdown moves; release removes it. */
export const interfaceTag = declareStepKind('interface-tag', object({ interfaceId: string(), key: string(), value: string() }));

/** Out of its Auto Scaling group, desired capacity kept (the group does not terminate the evidence). */
export const autoScalingDetach = declareStepKind('auto-scaling-detach', object({ groupName: string(), instanceId: string() }));

/** Out of one load-balancer target group on one port; release registers it back on that port. */
export const targetDeregistration = declareStepKind(
  'target-deregistration',
  object({ targetGroupArn: string(), port: number(), instanceId: string() }),
);

/** A forensic snapshot of one volume, kept when the instance is released. */
export const snapshot = declareStepKind('snapshot', object({ volumeId: string(), instanceId: string(), requestId: string() }));
