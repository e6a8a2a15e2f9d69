import type { PlannedStep } from '@lockdown/containment';
import { DEFAULT_MEMBER_ROLE_NAME, EntityRef, builtInProtectedPatterns, outOfScope } from '@lockdown/contracts';
import { planEc2Isolation } from '@lockdown/ec2-isolation';
import { planIamContainment } from '@lockdown/iam-lockdown';
import { planLambdaContainment } from '@lockdown/lambda-lockdown';
import { CliError, EXIT } from '../errors';
import { Output } from '../output';
import { validateArns } from '../requests';

/** What each service reads before planning (all in parallel, except where noted). */
const OBSERVE_CALLS: Record<EntityRef['type'], string[]> = {
  'iam-user': [
    'iam:GetUser',
    'iam:ListAttachedUserPolicies',
    'iam:ListUserPolicies',
    'iam:ListAccessKeys',
    'iam:ListSSHPublicKeys',
    'iam:ListServiceSpecificCredentials',
    'iam:ListSigningCertificates',
  ],
  'iam-role': ['iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies'],
  'lambda-function': [
    'lambda:GetFunctionConfiguration',
    'lambda:GetFunctionConcurrency',
    'lambda:ListEventSourceMappings',
    'lambda:ListTags',
  ],
  'ec2-instance': ['ec2:DescribeInstances', 'ec2:DescribeInstanceAttribute', 'then: iam:GetInstanceProfile', 'ec2:DescribeSecurityGroups'],
};

/**
 * The plan the service would run for this entity, from the services' own plan functions, on an
 * example starting state (the service plans from what it observes: steps for keys, mappings or
 * interfaces that do not exist are not there).
 */
export function examplePlan(entity: EntityRef, now = new Date().toISOString()): { assumes: string; steps: PlannedStep[] } {
  switch (entity.type) {
    case 'iam-user':
    case 'iam-role':
      return {
        assumes:
          entity.type === 'iam-user'
            ? 'one active and one inactive access key, one managed policy attached'
            : 'one managed policy attached',
        steps: planIamContainment(
          {
            kind: entity.type === 'iam-user' ? 'user' : 'role',
            name: entity.name,
            path: entity.path,
            arn: entity.arn,
            attachedPolicies: [`arn:${entity.partition}:iam::aws:policy/ReadOnlyAccess`],
            inlinePolicies: [],
            lockdownPolicies: [],
            otherCredentials: [],
            accessKeys:
              entity.type === 'iam-user'
                ? [
                    { id: 'AKIAEXAMPLEACTIVE001', status: 'Active' },
                    { id: 'AKIAEXAMPLEINACTIVE1', status: 'Inactive' },
                  ]
                : [],
            tags: {},
          },
          { partition: entity.partition, requestId: '<request-id>', revokeSessions: false, now },
        ),
      };
    case 'lambda-function':
      return {
        assumes: 'no reserved concurrency, execution role "example-role", one enabled event source mapping',
        steps: planLambdaContainment(
          {
            functionArn: entity.arn,
            name: entity.name,
            roleArn: `arn:${entity.partition}:iam::${entity.accountId}:role/example-role`,
            roleName: 'example-role',
            reservedConcurrency: null,
            tags: {},
            eventSourceMappings: [{ uuid: '00000000-example-mapping', state: 'Enabled' }],
          },
          { partition: entity.partition, requestId: '<request-id>', roleMode: 'targeted' },
        ),
      };
    case 'ec2-instance':
      return {
        assumes: 'two interfaces in two VPCs, an instance profile with role "example-role", no termination protection',
        steps: planEc2Isolation(
          {
            instanceId: entity.instanceId,
            arn: entity.arn,
            state: 'running',
            profileArn: `arn:${entity.partition}:iam::${entity.accountId}:instance-profile/example`,
            profileRoles: ['example-role'],
            terminationProtection: false,
            tags: {},
            interfaces: ['vpc-a', 'vpc-b'].map((vpc, i) => ({
              id: `eni-example${i}`,
              vpcId: vpc,
              groups: ['sg-workload'],
              tracking: { TcpEstablishedTimeout: 432000, UdpStreamTimeout: 180, UdpTimeout: 30 },
              deviceIndex: i,
            })),
            volumes: ['vol-example'],
            lockdownGroups: {},
          },
          {
            requestId: '<request-id>',
            untrackedWindowSeconds: 60,
            snapshotVolumes: false,
            detachAutoScaling: false,
            deregisterTargets: false,
          },
        ),
      };
  }
}

export function runPlan(arn: string, output: Output, memberRoleName = DEFAULT_MEMBER_ROLE_NAME): number {
  const [entity] = validateArns([arn]);
  // What the intake always refuses has no plan (configured protected principals are the deployment's: not known here).
  const refusal = outOfScope(entity!, { onboardedAccounts: 'all', protectedPatterns: builtInProtectedPatterns(memberRoleName) });
  if (refusal)
    throw new CliError(`the intake refuses this request (${refusal.code}): ${refusal.reason}; there is no plan`, EXIT.invalidInput);
  const { assumes, steps } = examplePlan(entity!);
  const reads = OBSERVE_CALLS[entity!.type];
  output.result({ entity: entity!, assumes, observe: reads, steps }, () => {
    output.line(`Containing ${entity!.type} ${entity!.name} in ${entity!.accountId}${'region' in entity! ? `/${entity!.region}` : ''}`);
    output.line(`(example starting state: ${assumes})`);
    output.line(`\n1. observe: ${reads.join(', ')}`);
    let last = -1;
    for (const step of [...steps].sort((a, b) => a.stage - b.stage)) {
      if (step.stage !== last) {
        output.line(
          step.stage >= 10
            ? `\nafter the untracked window (a delayed SQS message, phase 2), in parallel:`
            : `\nstage ${step.stage}${step.stage === 0 ? ' (first effect, while the ledger records the original state)' : ''}, in parallel:`,
        );
        last = step.stage;
      }
      output.line(`  - ${step.description}`);
      output.line(`      calls ${step.calls.apply.join(', ')}; release: ${step.calls.undo.length ? step.calls.undo.join(', ') : 'kept'}`);
    }
    output.line('\nthen verify: read the entity again and re-apply any step whose effect is missing.');
  });
  return EXIT.ok;
}
