import type { EC2Client } from '@aws-sdk/client-ec2';
import type { IAMClient } from '@aws-sdk/client-iam';
import { Executor, IncompleteContainmentError, LedgerPort, Outcome } from '@lockdown/containment';
import type { DispatchMessage, ServiceMessage } from '@lockdown/contracts';
import { requestInfo, runPlan } from '@lockdown/aws';
import { ec2ContainmentAdapter } from './adapters/ec2-containment';
import { InstanceApi } from './adapters/instance-api';
import type { OptionApis } from './adapters/option-apis';
import { SecurityGroups } from './adapters/security-groups';
import { PHASE_2_STAGE } from './domain/plan';

type Ec2Message = ServiceMessage<'ec2-isolation'>;

export interface Ec2IsolationDeps {
  /** EC2 (in the instance's region) and IAM clients signed as the member role; the options' APIs, loaded on first use. */
  clientsFor(message: Ec2Message): { ec2: EC2Client; iam: IAMClient; options?: OptionApis };
  ledger: LedgerPort;
  /** The service's own queue: phase 2 is a delayed message to it. */
  followUp: { send(message: DispatchMessage, delaySeconds: number): Promise<void> };
  untrackedWindowSeconds: number;
  snapshotVolumes: boolean;
  detachAutoScaling: boolean;
  deregisterTargets: boolean;
  now?: () => Date;
}

/**
 * Isolates or releases one EC2 instance in two phases. Phase 1 (the dispatch message): credentials
 * denied, every interface at minimum tracking timeouts in its VPC's untracked group, termination
 * protection, tag; then a delayed follow-up is sent. Phase 2 (the follow-up): every interface in
 * its VPC's isolation group, verified. A release in between makes phase 2 a no-op.
 */
export function ec2Isolation(deps: Ec2IsolationDeps) {
  return async (message: Ec2Message): Promise<Outcome> => {
    const entity = message.entity;
    const { ec2, iam, options } = deps.clientsFor(message);
    const ctx = { api: new InstanceApi(ec2, iam, entity.instanceId, options), groups: new SecurityGroups(ec2) };
    const adapter = ec2ContainmentAdapter(entity, {
      requestId: message.requestId,
      untrackedWindowSeconds: deps.untrackedWindowSeconds,
      snapshotVolumes: deps.snapshotVolumes,
      detachAutoScaling: deps.detachAutoScaling,
      deregisterTargets: deps.deregisterTargets,
    });
    const executor = new Executor(adapter, deps.ledger, deps.now);

    if (message.action === 'release' || message.dryRun || message.watch) return runPlan(executor, ctx, message);
    if (message.phase === 2) {
      const record = await deps.ledger.get(entity.arn);
      if (!record || record.status === 'released' || record.request.requestId !== message.requestId)
        return {
          kind: 'noop',
          detail:
            record?.status === 'released'
              ? 'phase 2 cancelled: the instance was released during the untracked window'
              : 'phase 2 cancelled: this containment is no longer current',
          steps: record?.steps ?? [],
          reapplied: [],
        };
      return executor.contain(ctx, { arn: entity.arn, type: entity.type }, requestInfo(message));
    }
    const outcome = await executor
      .contain(ctx, { arn: entity.arn, type: entity.type }, requestInfo(message), { throughStage: PHASE_2_STAGE - 1 })
      .catch(async (error: unknown) => {
        // A step that could not be applied (a full role) fails phase 1, but an interface already in the
        // allow-all untracked group must not stay there: phase 2 still comes.
        const untracked =
          error instanceof IncompleteContainmentError &&
          error.steps.some((s) => s.stage < PHASE_2_STAGE && s.kind === 'eni-groups' && s.status === 'applied');
        if (untracked) await deps.followUp.send({ ...message, phase: 2 }, deps.untrackedWindowSeconds);
        throw error;
      });
    if (outcome.kind === 'containing') await deps.followUp.send({ ...message, phase: 2 }, deps.untrackedWindowSeconds);
    return outcome;
  };
}
