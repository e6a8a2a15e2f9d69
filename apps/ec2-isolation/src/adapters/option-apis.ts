import type { MemberAccounts } from '@lockdown/aws';
import type { AutoScalingMembership } from './auto-scaling-membership';
import type { TargetGroupMembership } from './target-group-membership';

/** The option-only APIs, each made on first use. */
export interface OptionApis {
  /** Only when the Auto Scaling option is on. */
  autoScaling?: () => Promise<AutoScalingMembership>;
  /** Only when the load-balancer option is on. */
  targetGroups?: () => Promise<TargetGroupMembership>;
}

/** A promise made on the first call and shared by every later one. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

/**
 * The options' APIs for one instance. Their SDK clients are imported on first use: esbuild
 * splits them out of the bundle, so a container with both options off never loads them.
 */
export function optionApis(
  on: { detachAutoScaling: boolean; deregisterTargets: boolean },
  config: () => ReturnType<MemberAccounts['clientConfig']>,
  instanceId: string,
): OptionApis {
  return {
    ...(on.detachAutoScaling
      ? { autoScaling: once(async () => new (await import('./auto-scaling-membership.js')).AutoScalingMembership(config(), instanceId)) }
      : {}),
    ...(on.deregisterTargets
      ? { targetGroups: once(async () => new (await import('./target-group-membership.js')).TargetGroupMembership(config(), instanceId)) }
      : {}),
  };
}
