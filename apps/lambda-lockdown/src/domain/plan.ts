import type { PlannedStep } from '@lockdown/containment';
import { CONTAINMENT_TAG, GUARD_TAG, LOCKDOWN_NAME_PREFIX, Partition } from '@lockdown/contracts';
import { ObservedFunction } from './observed';
import * as kinds from './step-kinds';

export type RoleMode = 'targeted' | 'whole-role';

export interface LambdaPlanOptions {
  partition: Partition;
  /** The containment tag's value. */
  requestId: string;
  /** targeted (default): deny only this function's credentials; whole-role: AWSDenyAll on the role too. */
  roleMode: RoleMode;
}

/** Mappings in these states deliver events (or are about to). */
const ACTIVE_MAPPING_STATES = new Set(['Enabled', 'Enabling', 'Creating', 'Updating']);

export const denyPolicyName = (functionName: string) => `${LOCKDOWN_NAME_PREFIX}deny-fn-${functionName}`;

/**
 * Denies every action to credentials issued to this function (`lambda:SourceFunctionArn`), also
 * when they are used off the function; other functions sharing the role keep working.
 */
export function functionDenyDocument(functionArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'LockdownDenyFunctionCredentials',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { ArnLike: { 'lambda:SourceFunctionArn': [functionArn, `${functionArn}:*`] } },
      },
    ],
  });
}

/**
 * Plans the containment of a Lambda function. Pure.
 * 1. (stage 0) deny the function's own credentials with an inline policy on its role;
 * 2. (stage 1, in parallel) reserved concurrency 0 (no more invocations), every active event
 *    source mapping disabled, and in whole-role mode AWSDenyAll on the role.
 */
export function planLambdaContainment(observed: ObservedFunction, options: LambdaPlanOptions): PlannedStep[] {
  return [
    credentialDenyStep(observed),
    ...stopSteps(observed, options.requestId),
    ...markingSteps(observed, options.requestId),
    ...wholeRoleSteps(observed, options.partition, options.roleMode),
  ];
}

/** Stage 0: the function's own credentials denied with an inline policy on its role. */
function credentialDenyStep(observed: ObservedFunction): PlannedStep {
  return kinds.roleInlinePolicy.step(
    {
      id: 'deny-function-credentials',
      description: `Deny credentials of ${observed.name} on its role ${observed.roleName} (inline ${denyPolicyName(observed.name)})`,
      stage: 0,
      original: null,
      calls: {
        apply: ['iam:GetRolePolicy', 'iam:PutRolePolicy'],
        undo: ['iam:GetRolePolicy', 'iam:DeleteRolePolicy', 'iam:ListRolePolicies', 'iam:UntagRole'],
      },
    },
    { roleName: observed.roleName, policyName: denyPolicyName(observed.name), document: functionDenyDocument(observed.functionArn) },
  );
}

/** No more invocations: reserved concurrency 0, and every active event source mapping disabled (and tagged, so the guard freezes it). */
function stopSteps(observed: ObservedFunction, requestId: string): PlannedStep[] {
  const steps: PlannedStep[] = [];
  if (observed.reservedConcurrency !== 0)
    steps.push(
      kinds.concurrency.step(
        {
          id: 'reserved-concurrency-zero',
          description: `Set reserved concurrency of ${observed.name} to 0 (was ${observed.reservedConcurrency ?? 'unreserved'})`,
          stage: 1,
          original: observed.reservedConcurrency,
          calls: {
            apply: ['lambda:PutFunctionConcurrency'],
            undo: [observed.reservedConcurrency === null ? 'lambda:DeleteFunctionConcurrency' : 'lambda:PutFunctionConcurrency'],
          },
        },
        { functionArn: observed.functionArn },
      ),
    );
  for (const mapping of observed.eventSourceMappings.filter((m) => ACTIVE_MAPPING_STATES.has(m.state)))
    steps.push(
      kinds.eventSourceMapping.step(
        {
          id: `disable-mapping:${mapping.uuid}`,
          description: `Disable event source mapping ${mapping.uuid}`,
          stage: 1,
          original: 'Enabled',
          calls: { apply: ['lambda:UpdateEventSourceMapping'], undo: ['lambda:UpdateEventSourceMapping'] },
        },
        { uuid: mapping.uuid },
      ),
      // The guard freezes a tagged mapping: AWS authorizes UpdateEventSourceMapping on the mapping itself.
      kinds.mappingTag.step(
        {
          id: `tag-mapping:${mapping.uuid}`,
          description: `Tag event source mapping ${mapping.uuid} ${CONTAINMENT_TAG}=${requestId}`,
          stage: 1,
          original: null,
          calls: { apply: ['lambda:TagResource'], undo: ['lambda:UntagResource'] },
        },
        { mappingArn: mapping.arn, key: CONTAINMENT_TAG, value: requestId },
      ),
    );
  return steps;
}

/** The marks: the role guarded while the deny is on it, the function tagged. */
function markingSteps(observed: ObservedFunction, requestId: string): PlannedStep[] {
  const steps: PlannedStep[] = [];
  steps.push(
    kinds.roleGuard.step(
      {
        id: `guard-role:${observed.roleName}`,
        description: `Mark role ${observed.roleName} ${GUARD_TAG} (the organization guard freezes its policies while the deny is on it)`,
        stage: 1,
        original: null,
        calls: { apply: ['iam:TagRole'], undo: [] },
      },
      { roleName: observed.roleName, ownPolicyName: denyPolicyName(observed.name) },
    ),
  );
  const previousTag = observed.tags[CONTAINMENT_TAG] ?? null;
  steps.push(
    kinds.functionTag.step(
      {
        id: 'tag',
        description: `Tag ${observed.name} ${CONTAINMENT_TAG}=${requestId}`,
        stage: 1,
        original: previousTag,
        calls: { apply: ['lambda:TagResource'], undo: [previousTag === null ? 'lambda:UntagResource' : 'lambda:TagResource'] },
      },
      { key: CONTAINMENT_TAG, value: requestId },
    ),
  );
  return steps;
}

/** In whole-role mode, AWSDenyAll on the role too (every function using it is denied). */
function wholeRoleSteps(observed: ObservedFunction, partition: Partition, roleMode: RoleMode): PlannedStep[] {
  const steps: PlannedStep[] = [];
  const denyAll = `arn:${partition}:iam::aws:policy/AWSDenyAll`;
  if (roleMode === 'whole-role' && !(observed.roleAttachedPolicies ?? []).includes(denyAll))
    steps.push(
      kinds.roleManagedPolicy.step(
        {
          id: 'attach-aws-deny-all-to-role',
          description: `Attach AWSDenyAll to the whole role ${observed.roleName} (every function using it is denied)`,
          stage: 1,
          original: false,
          calls: { apply: ['iam:AttachRolePolicy'], undo: ['iam:DetachRolePolicy'] },
        },
        { roleName: observed.roleName, policyArn: denyAll },
      ),
    );
  return steps;
}

/** The function is contained when it cannot run and its credentials are denied. */
export function lambdaContainmentGaps(observed: ObservedFunction): string[] {
  const gaps: string[] = [];
  if (observed.reservedConcurrency !== 0)
    gaps.push(`reserved concurrency of ${observed.name} is ${observed.reservedConcurrency ?? 'unreserved'}, not 0`);
  if (observed.denyPolicyPresent === false) gaps.push(`the credential deny is missing from role ${observed.roleName}`);
  return gaps;
}
