import { runSimulation } from '@cloud-copilot/iam-simulate';
import { memberRolePolicy } from '@lockdown/contracts';
import type { IdentityPolicy } from './authorization';
import { boundaryForAction, statementsForAction } from './statements-for-action';

const ACCOUNT = '111111111111';
const policy = (name: string, Statement: object[]): IdentityPolicy => ({ name, policy: { Version: '2012-10-17', Statement } });

const member = {
  name: 'member',
  policy: memberRolePolicy({ partition: 'aws', account: ACCOUNT, memberRoleName: 'lockdown-member', securityAccountId: '999999999999' }),
};
const wildcards = policy('wildcards', [
  { Effect: 'Allow', Action: ['iam:Put*', 'ec2:Describe?nstances'], Resource: '*' },
  { Effect: 'Deny', NotAction: ['iam:*', 'sts:GetCallerIdentity'], Resource: '*' },
  { Effect: 'Allow', Action: 'LAMBDA:getfunction', Resource: '*' },
]);
const guard = policy('guard', [
  { Effect: 'Deny', Action: ['iam:DeleteRolePolicy', 'iam:PutRolePolicy'], Resource: 'arn:aws:iam::*:role/lockdown-*' },
  { Effect: 'Deny', NotAction: 'iam:TagUser', Resource: 'arn:aws:iam::*:user/quarantined/*' },
]);
const boundary = policy('boundary', [{ Effect: 'Allow', Action: ['iam:Tag*', 'ec2:*'], Resource: '*' }]);

/** iam-simulate's decision for the policies as given (what the sandbox asked it before narrowing). */
async function decision(
  identity: IdentityPolicy[],
  scps: IdentityPolicy[],
  bounds: IdentityPolicy[] | undefined,
  action: string,
  resource: string,
) {
  const result = await runSimulation(
    {
      identityPolicies: identity,
      ...(bounds ? { permissionBoundaryPolicies: bounds } : {}),
      serviceControlPolicies:
        scps.length > 0
          ? [{ orgIdentifier: 'r-test', policies: [policy('FullAWSAccess', [{ Effect: 'Allow', Action: '*', Resource: '*' }]), ...scps] }]
          : [],
      resourceControlPolicies: [],
      request: {
        principal: `arn:aws:iam::${ACCOUNT}:role/lockdown-member`,
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: {
          'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/lockdown-member`,
          'aws:ResourceTag/lockdown:containment': 'x',
        },
      },
    } as never,
    {},
  );
  return result.resultType === 'error' ? 'Invalid' : String(result.overallResult);
}

describe('statementsForAction: only the statements an action can meet, and the same decision', () => {
  it('keeps the statements whose Action matches (wildcards, case) or whose NotAction does not', () => {
    const kept = (action: string) =>
      statementsForAction([wildcards], action).flatMap((p) =>
        (p.policy as { Statement: Array<{ Effect: string }> }).Statement.map((s) => s.Effect),
      );
    expect(kept('iam:PutUserPolicy')).toEqual(['Allow']);
    expect(kept('ec2:DescribeInstances')).toEqual(['Allow', 'Deny']);
    expect(kept('ec2:DescribeXnstancesX')).toEqual(['Deny']);
    expect(kept('lambda:GetFunction')).toEqual(['Deny', 'Allow']);
    expect(kept('sts:GetCallerIdentity')).toEqual([]);
    // A policy with nothing for the action is left out; a boundary with nothing for it is kept whole (it denies the action).
    expect(statementsForAction([boundary], 'lambda:GetFunction')).toEqual([]);
    expect(boundaryForAction([boundary], 'lambda:GetFunction')).toEqual([boundary]);
    expect(boundaryForAction(undefined, 'lambda:GetFunction')).toBeUndefined();
    // A statement iam-simulate may call malformed (its Effect): the document goes to it whole, for it to say so.
    const malformed = policy('malformed', [
      { Effect: 'Allow', Action: 'iam:TagUser', Resource: '*' },
      { Effect: 'allow', Action: 'ec2:*', Resource: '*' },
    ]);
    expect(statementsForAction([malformed], 'iam:TagUser')).toEqual([malformed]);
  });

  const requests: Array<[string, string]> = [
    ['iam:TagUser', `arn:aws:iam::${ACCOUNT}:user/u1`],
    ['iam:TagUser', `arn:aws:iam::${ACCOUNT}:user/quarantined/u2`],
    ['iam:PutUserPolicy', `arn:aws:iam::${ACCOUNT}:user/u1`],
    ['iam:PutRolePolicy', `arn:aws:iam::${ACCOUNT}:role/lockdown-member`],
    ['iam:PutRolePolicy', `arn:aws:iam::${ACCOUNT}:role/app/r1`],
    ['iam:AttachRolePolicy', `arn:aws:iam::${ACCOUNT}:role/app/r1`],
    ['iam:UpdateAccessKey', `arn:aws:iam::${ACCOUNT}:user/u1`],
    ['iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/new`],
    ['ec2:CreateTags', `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-1`],
    ['ec2:ModifyInstanceAttribute', `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-1`],
    ['ec2:DescribeInstances', '*'],
    ['lambda:PutFunctionConcurrency', `arn:aws:lambda:us-east-1:${ACCOUNT}:function:f1`],
    ['lambda:GetFunction', `arn:aws:lambda:us-east-1:${ACCOUNT}:function:f1`],
    ['s3:PutBucketPolicy', 'arn:aws:s3:::bucket'],
    ['sts:GetCallerIdentity', '*'],
    ['cloudtrail:LookupEvents', '*'],
  ];
  const setups: Array<[string, IdentityPolicy[], IdentityPolicy[], IdentityPolicy[] | undefined]> = [
    ['the member policy', [member], [], undefined],
    ['the member policy under an SCP', [member], [guard], undefined],
    ['wildcards and NotAction', [wildcards], [], undefined],
    ['everything, with a boundary', [member, wildcards], [guard], [boundary]],
  ];

  it.each(setups)('decides as the whole policies do: %s', async (_, identity, scps, bounds) => {
    for (const [action, resource] of requests) {
      const whole = await decision(identity, scps, bounds, action, resource);
      const narrowed = await decision(
        statementsForAction(identity, action),
        statementsForAction(scps, action),
        boundaryForAction(bounds, action),
        action,
        resource,
      );
      expect([action, resource, narrowed]).toEqual([action, resource, whole]);
    }
  });
});
