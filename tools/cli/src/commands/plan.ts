import {
  DEFAULT_BOOTSTRAP_QUALIFIER,
  DEFAULT_MEMBER_ROLE_NAME,
  RequestScope,
  outOfScope,
  parseScope,
  serviceFor,
} from '@lockdown/contracts';
import { GUARD_MARK_RELEASE } from '@lockdown/aws';
import { roleGuard } from '@lockdown/containment';
import { descriptorOf } from '@lockdown/services';
import { CliError, EXIT } from '../errors';
import { Output } from '../output';
import { validateArn } from '../requests';

/** What a release does for a step: its undo calls; the guard mark goes with the deny; anything else is kept. */
const releaseOf = (step: { kind: string; calls: { undo: string[] } }) =>
  step.calls.undo.length > 0 ? step.calls.undo.join(', ') : step.kind === roleGuard.kind ? GUARD_MARK_RELEASE : 'kept';

export interface PlanOptions {
  /** The owner of an S3 bucket (S3 ARNs name none). */
  account?: string;
  /** The Identity Center instance's home region, for Identity Center users. */
  instanceRegion?: string;
  /** The security account: lockdown's own roles, functions and bootstrap bucket there have no plan. */
  securityAccount?: string;
}

/**
 * The intake's scope as far as it is known here: the member role always, lockdown's own resources
 * when the security account is given (configured protected principals are the deployment's).
 */
function knownScope(securityAccount: string | undefined): RequestScope {
  if (securityAccount === undefined)
    return {
      onboardedAccounts: 'all',
      protectedSet: {
        memberRoleName: DEFAULT_MEMBER_ROLE_NAME,
        securityAccountId: '',
        bootstrapQualifier: DEFAULT_BOOTSTRAP_QUALIFIER,
        patterns: [],
      },
    };
  try {
    return parseScope({ onboardedAccounts: 'all', securityAccountId: securityAccount });
  } catch {
    throw new CliError(`--security-account must be a 12-digit account id, got "${securityAccount}"`, EXIT.invalidInput);
  }
}

export function runPlan(arn: string, output: Output, options: PlanOptions = {}): number {
  const entity = validateArn(arn, options.account, options.instanceRegion);
  // What the intake refuses has no plan.
  const refusal = outOfScope(entity, knownScope(options.securityAccount));
  if (refusal)
    throw new CliError(`the intake refuses this request (${refusal.code}): ${refusal.reason}; there is no plan`, EXIT.invalidInput);
  // The service's own plan function, on an example starting state (it plans from what it observes:
  // steps for keys, mappings or interfaces that do not exist are not there).
  const service = descriptorOf(serviceFor(entity.type));
  const { assumes, steps } = service.runtime().examplePlan(entity, new Date().toISOString());
  const reads = service.observe[entity.type] ?? [];
  const stageHeading = (stage: number) =>
    service.stages?.[stage] ?? `stage ${stage}${stage === 0 ? ' (first effect, while the ledger records the original state)' : ''}`;
  output.result({ entity, assumes, observe: reads, steps }, () => {
    output.line(`Containing ${entity.type} ${entity.name} in ${entity.accountId}${'region' in entity ? `/${entity.region}` : ''}`);
    output.line(`(example starting state: ${assumes})`);
    output.line(`\n1. observe: ${reads.join(', ')}`);
    let last = -1;
    for (const step of [...steps].sort((a, b) => a.stage - b.stage)) {
      if (step.stage !== last) {
        output.line(`\n${stageHeading(step.stage)}, in parallel:`);
        last = step.stage;
      }
      output.line(`  - ${step.description}`);
      output.line(`      calls ${step.calls.apply.join(', ')}; release: ${releaseOf(step)}`);
    }
    output.line('\nthen verify: read the entity again and re-apply any step whose effect is missing.');
  });
  return EXIT.ok;
}
