import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Template } from 'aws-cdk-lib/assertions';
import { SCP_MAX_CHARACTERS, orgGuardPolicy } from '@lockdown/contracts';
import { synth } from '../test/synth';

const ACCOUNT = '111111111111';
const built = synth({ orgGuardTargets: 'r-ab12,ou-ab12-cdef3456' });
const content = Object.values(Template.fromStack(built.orgGuard).findResources('AWS::Organizations::Policy'))[0]!['Properties']['Content'];
const ADMIN = [{ name: 'admin', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }];
const FULL_ACCESS = {
  name: 'FullAWSAccess',
  policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

/** The decision for a principal with full identity permissions, under the synthesized guard. */
async function underGuard(principal: string, action: string, resource: string, context: Record<string, string | string[]> = {}) {
  const result = await runSimulation(
    {
      identityPolicies: ADMIN,
      serviceControlPolicies: [{ orgIdentifier: 'r-ab12', policies: [FULL_ACCESS, { name: 'lockdown-guard', policy: content }] }],
      resourceControlPolicies: [],
      request: {
        principal,
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': ACCOUNT, ...context },
      },
    } as never,
    {},
  );
  return result.resultType === 'error' ? `Invalid: ${JSON.stringify(result.errors)}` : String(result.overallResult);
}

const MEMBER = `arn:aws:iam::${ACCOUNT}:role/lockdown-member`;
const ATTACKER = `arn:aws:iam::${ACCOUNT}:role/attackers-second-role`;
const USER = `arn:aws:iam::${ACCOUNT}:user/alice`;
const CONTAINED = { 'aws:ResourceTag/lockdown:containment': 'req-1' };

describe('LockdownOrgGuard', () => {
  it('is one static SCP attached to the configured targets, within the size limit', () => {
    expect(content).toEqual(orgGuardPolicy({ memberRoleName: 'lockdown-member' }));
    expect(JSON.stringify(content).length).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
    Template.fromStack(built.orgGuard).hasResourceProperties('AWS::Organizations::Policy', {
      Type: 'SERVICE_CONTROL_POLICY',
      TargetIds: ['r-ab12', 'ou-ab12-cdef3456'],
    });
    expect(Template.fromStack(built.orgGuard).toJSON()['Parameters']).toBeUndefined();
  });

  it('denies everything to a contained principal, whatever its policies', async () => {
    const tagged = { 'aws:PrincipalTag/lockdown:containment': 'req-1' };
    expect(await underGuard(USER, 's3:GetObject', 'arn:aws:s3:::bucket/key', tagged)).toBe('ExplicitlyDenied');
    expect(await underGuard(USER, 'iam:DetachUserPolicy', USER, { ...tagged, 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AWSDenyAll' })).toBe(
      'ExplicitlyDenied',
    );
    expect(await underGuard(USER, 's3:GetObject', 'arn:aws:s3:::bucket/key')).toBe('Allowed');
  });

  it.each([
    [
      'detach the deny from a contained user',
      'iam:DetachUserPolicy',
      USER,
      { ...CONTAINED, 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AWSDenyAll' },
    ],
    ['delete the inline deny of a contained role', 'iam:DeleteRolePolicy', `arn:aws:iam::${ACCOUNT}:role/app`, CONTAINED],
    ['reactivate a key of a contained user', 'iam:UpdateAccessKey', USER, CONTAINED],
    ['create a key for a contained user', 'iam:CreateAccessKey', USER, CONTAINED],
    ['change the trust of a contained role', 'iam:UpdateAssumeRolePolicy', `arn:aws:iam::${ACCOUNT}:role/app`, CONTAINED],
    [
      'raise the concurrency of a contained function',
      'lambda:PutFunctionConcurrency',
      `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:payments`,
      CONTAINED,
    ],
    [
      // Its credentials are denied on the role lockdown recorded: a new role would carry no deny.
      'swap the execution role of a contained function',
      'lambda:UpdateFunctionConfiguration',
      `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:payments`,
      CONTAINED,
    ],
    [
      // The code is evidence, and it runs again at release.
      'replace the code of a contained function',
      'lambda:UpdateFunctionCode',
      `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:payments`,
      CONTAINED,
    ],
    [
      // lambda-lockdown tags each mapping it disables: the mapping resource carries aws:ResourceTag.
      're-enable a disabled event source mapping of a contained function',
      'lambda:UpdateEventSourceMapping',
      `arn:aws:lambda:eu-west-1:${ACCOUNT}:event-source-mapping:0b0e2f5e-1234-4c3e-9a3e-0123456789ab`,
      CONTAINED,
    ],
    [
      'delete a disabled event source mapping of a contained function (release could not re-enable it)',
      'lambda:DeleteEventSourceMapping',
      `arn:aws:lambda:eu-west-1:${ACCOUNT}:event-source-mapping:0b0e2f5e-1234-4c3e-9a3e-0123456789ab`,
      CONTAINED,
    ],
    [
      'lift the termination protection of a contained instance',
      'ec2:ModifyInstanceAttribute',
      `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-1`,
      CONTAINED,
    ],
    [
      // The interface's own tag decides (ModifyNetworkInterfaceAttribute acts on the network-interface
      // resource): ec2-isolation tags each interface it moves.
      'move a contained interface back to its original groups',
      'ec2:ModifyNetworkInterfaceAttribute',
      `arn:aws:ec2:eu-west-1:${ACCOUNT}:network-interface/eni-1`,
      CONTAINED,
    ],
    [
      'delete the credential deny from a guarded execution role',
      'iam:DeleteRolePolicy',
      `arn:aws:iam::${ACCOUNT}:role/exec`,
      { 'aws:ResourceTag/lockdown:guarded': 'true' },
    ],
    [
      'open a lockdown security group',
      'ec2:AuthorizeSecurityGroupIngress',
      `arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/sg-1`,
      { 'aws:ResourceTag/lockdown:managed': 'true' },
    ],
    ['remove the containment tag', 'iam:UntagUser', USER, { 'aws:TagKeys': ['lockdown:containment'] }],
    [
      'tag a group lockdown:managed',
      'ec2:CreateTags',
      `arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/sg-2`,
      { 'aws:TagKeys': ['lockdown:managed'] },
    ],
  ])('refuses another principal, even with full permissions, to %s; lockdown may', async (_name, action, resource, context) => {
    expect(await underGuard(ATTACKER, action, resource, context)).toBe('ExplicitlyDenied');
    expect(await underGuard(MEMBER, action, resource, context)).toBe('Allowed');
  });

  it('leaves everything else alone: untagged entities and other tags', async () => {
    expect(await underGuard(ATTACKER, 'iam:DetachUserPolicy', USER, { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/ReadOnlyAccess' })).toBe(
      'Allowed',
    );
    expect(await underGuard(ATTACKER, 'iam:TagUser', USER, { 'aws:TagKeys': ['team'] })).toBe('Allowed');
    expect(await underGuard(ATTACKER, 'ec2:AuthorizeSecurityGroupIngress', `arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/sg-3`)).toBe(
      'Allowed',
    );
  });
});
