import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import {
  LEDGER_EXPIRY_ATTRIBUTE,
  MEMBER_ACTIONS,
  OWN_MEMBER_ROLE_SUFFIXES,
  SERVICES,
  ServiceName,
  entityTypesOf,
  memberRolePolicy,
} from '@lockdown/contracts';
import { ConfigError, configWarnings, descriptorOf, loadConfig, memberPolicy, ownMemberPolicy } from '@lockdown/services';

const MEMBER_ACCOUNT_ID = '111111111111';
import { actionsCalledBy } from '../test/commands-in-code';
import { synth } from '../test/synth';

import { FUNCTION_TIMEOUT } from './service-limits';

const built = synth({
  auditEmails: ['soc@example.com'],
  allowedPublishers: ['arn:aws:iam::999999999999:role/soar'],
  securityAccountId: '999999999999',
});
const stacks: Stack[] = [built.core, ...built.services, built.member, built.orgGuard, built.triggers];

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };
const actionsOf = (statement: Statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]);

/** Every Allow action of the policies attached to a role (by logical id). */
function allowedActions(template: Template, roleLogicalId: string): Set<string> {
  const policies = template.findResources('AWS::IAM::Policy');
  const actions = new Set<string>();
  for (const policy of Object.values(policies)) {
    const roles = JSON.stringify(policy['Properties']['Roles']);
    if (!roles.includes(roleLogicalId)) continue;
    for (const statement of policy['Properties']['PolicyDocument']['Statement'] as Statement[])
      if (statement.Effect === 'Allow') actionsOf(statement).forEach((a) => actions.add(a));
  }
  return actions;
}

const roleId = (template: Template, roleName: string) =>
  Object.entries(template.findResources('AWS::IAM::Role')).find(([, r]) => r['Properties']['RoleName'] === roleName)![0];

/** Actions Lambda's SQS event source, logging and encrypted resources use on the role's behalf. */
const PLATFORM_ACTIONS = new Set([
  'sqs:ReceiveMessage',
  'sqs:ChangeMessageVisibility',
  'sqs:GetQueueUrl',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'kms:Decrypt',
  'kms:GenerateDataKey',
]);

describe('service stacks', () => {
  it.each(SERVICES)('subscribes the %s queue with the filter policy built from the routing table', (service) => {
    const template = Template.fromStack(built.services.find((s) => s.stackName === `Lockdown-${service}`)!);
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      RawMessageDelivery: true,
      FilterPolicy: { entityType: entityTypesOf(service) },
    });
  });

  it.each(SERVICES)(
    "%s: what SNS cannot deliver to the queue (a key or queue policy broken) lands in the subscription's own encrypted DLQ, alarmed",
    (service) => {
      const template = Template.fromStack(built.services.find((s) => s.stackName === `Lockdown-${service}`)!);
      const [subscription] = Object.values(template.findResources('AWS::SNS::Subscription'));
      const dlqId = subscription!['Properties']['RedrivePolicy']['deadLetterTargetArn']['Fn::GetAtt'][0] as string;
      const dlq = template.toJSON()['Resources'][dlqId];
      expect(dlq['Properties']).toMatchObject({ QueueName: `lockdown-${service}-subscription-dlq`, KmsMasterKeyId: expect.anything() });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `lockdown-${service}-subscription-dlq`,
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
        AlarmActions: [{ Ref: Match.stringLikeRegexp('SsmParameterValuelockdownaudittopicarn') }],
      });
    },
  );

  it.each(SERVICES)('%s reserves the concurrency its queue may use, no less than the event source maximum', (service) => {
    const template = Template.fromStack(built.services.find((s) => s.stackName === `Lockdown-${service}`)!);
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));
    const [mapping] = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
    const reserved = fn!['Properties']['ReservedConcurrentExecutions'] as number;
    expect(reserved).toBeGreaterThanOrEqual(mapping!['Properties']['ScalingConfig']['MaximumConcurrency']);
  });

  it.each(SERVICES)(
    '%s alarms on its DLQ, FAILED and TAMPERED outcomes, errors, throttles and a stalled queue, each notifying the audit topic',
    (service) => {
      const template = Template.fromStack(built.services.find((s) => s.stackName === `Lockdown-${service}`)!);
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a['Properties']);
      expect(alarms.map((a) => a['AlarmName']).sort()).toEqual(
        ['dlq', 'errors', 'failed', 'oldest-message', 'subscription-dlq', 'tampered', 'throttles'].map((n) => `lockdown-${service}-${n}`),
      );
      expect(alarms.map((a) => a['MetricName']).sort()).toEqual([
        'ApproximateAgeOfOldestMessage',
        'ApproximateNumberOfMessagesVisible',
        'ApproximateNumberOfMessagesVisible',
        'Errors',
        'Failed',
        'Tampered',
        'Throttles',
      ]);
      for (const alarm of alarms)
        expect(alarm['AlarmActions']).toEqual([{ Ref: expect.stringMatching(/SsmParameterValuelockdownaudittopicarn/) }]);
      expect(alarms.find((a) => a['MetricName'] === 'Failed')).toMatchObject({
        Namespace: 'Lockdown',
        Dimensions: expect.arrayContaining([{ Name: 'service', Value: service }]),
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeadLetters'), 'QueueName'] } }],
        AlarmActions: [{ Ref: Match.stringLikeRegexp('SsmParameterValuelockdownaudittopicarn') }],
      });
    },
  );

  it.each(SERVICES)('%s keeps messages invisible at least 6 times the function timeout and redrives after 5 attempts', (service) => {
    const template = Template.fromStack(built.services.find((s) => s.stackName === `Lockdown-${service}`)!);
    const queues = Object.values(template.findResources('AWS::SQS::Queue')).filter((q) => q['Properties']['RedrivePolicy']);
    expect(queues).toHaveLength(1);
    expect(queues[0]!['Properties']['VisibilityTimeout']).toBeGreaterThanOrEqual(6 * FUNCTION_TIMEOUT.toSeconds());
    expect(queues[0]!['Properties']['RedrivePolicy']['maxReceiveCount']).toBe(5);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: Match.anyValue() },
    });
  });

  it.each(SERVICES)('%s finds the shared topics through SSM parameters, not exports', (service) => {
    const template = Template.fromStack(built.services.find((s) => s.stackName === `Lockdown-${service}`)!);
    expect(JSON.stringify(template.toJSON())).not.toContain('Fn::ImportValue');
    expect(Object.keys(template.toJSON()['Parameters'])).toEqual(
      expect.arrayContaining([expect.stringContaining('lockdowndispatchtopicarn')]),
    );
  });

  it.each(SERVICES)("%s's role allows only what its code calls in the security account", (service) => {
    const template = Template.fromStack(built.services.find((s) => s.stackName === `Lockdown-${service}`)!);
    const allowed = allowedActions(template, roleId(template, `lockdown-${service}`));
    const called = actionsCalledBy(`apps/${service}`, 'libs/aws');
    const extra = [...allowed].filter((a) => !called.has(a) && !PLATFORM_ACTIONS.has(a));
    expect(extra).toEqual([]);
    expect(allowed).toContain('sts:AssumeRole');
    // Every service sends its own tamper-watch ticks (and ec2-isolation its phase 2) to its own queue.
    expect(allowed.has('sqs:SendMessage')).toBe(true);
  });

  it('scopes AssumeRole to the onboarded accounts when they are listed', () => {
    const listed = synth({ onboardedAccounts: '111111111111,222222222222' });
    const template = Template.fromStack(listed.services[0]!);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sts:AssumeRole',
            Resource: [
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:role/lockdown-member']] },
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:role/lockdown-member']] },
            ],
          }),
        ]),
      },
    });
  });
});

describe('core stack', () => {
  const template = Template.fromStack(built.core);

  it('lets only the configured publishers publish to the ingress topic', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowedPublishers',
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { AWS: 'arn:aws:iam::999999999999:role/soar' },
          }),
        ]),
      },
    });
  });

  it('alarms on the intake failure destination, its subscription DLQs and failed deliveries of the three topics; email subscriptions on the audit topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a['Properties']);
    expect(alarms.map((a) => a['AlarmName']).sort()).toEqual([
      'lockdown-dispatch-delivery-failed',
      'lockdown-ingress-delivery-failed',
      'lockdown-intake-failures',
      'lockdown-intake-release-subscription-dlq',
      'lockdown-intake-subscription-dlq',
      'lockdown-release-delivery-failed',
    ]);
    for (const topic of ['ingress', 'release', 'dispatch'])
      expect(alarms.find((a) => a['AlarmName'] === `lockdown-${topic}-delivery-failed`)).toMatchObject({
        Namespace: 'AWS/SNS',
        MetricName: 'NumberOfNotificationsFailed',
        Threshold: 0,
      });
    const lambdas = Object.values(template.findResources('AWS::SNS::Subscription')).filter((x) => x['Properties']['Protocol'] === 'lambda');
    expect(lambdas).toHaveLength(2);
    const dlqs = lambdas.map(
      (lambda) =>
        template.toJSON()['Resources'][lambda['Properties']['RedrivePolicy']['deadLetterTargetArn']['Fn::GetAtt'][0]]['Properties'],
    );
    expect(dlqs.map((q) => q['QueueName']).sort()).toEqual([
      'lockdown-intake-release-subscription-dlq',
      'lockdown-intake-subscription-dlq',
    ]);
    for (const dlq of dlqs) expect(dlq['KmsMasterKeyId']).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^IntakeFailuresKey/), 'Arn'] });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'soc@example.com' });
  });

  it('gives the intake exactly the calls it makes', () => {
    const allowed = allowedActions(template, roleId(template, 'lockdown-intake'));
    const called = actionsCalledBy('apps/intake', 'libs/aws', 'libs/publishing');
    expect([...allowed].filter((a) => !called.has(a) && !PLATFORM_ACTIONS.has(a) && a !== 'sqs:SendMessage')).toEqual([]);
    expect(allowed).toEqual(
      new Set([
        'secretsmanager:GetSecretValue',
        'sns:Publish',
        'kms:GenerateDataKey',
        'kms:Decrypt',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sqs:SendMessage',
        'events:PutEvents',
      ]),
    );
  });

  it('creates the outcome events bus, where only lockdown puts its events (events:source)', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'lockdown' });
    const fn = Object.values(template.findResources('AWS::Lambda::Function')).find(
      (f) => f['Properties']['FunctionName'] === 'lockdown-intake',
    )!;
    expect(fn['Properties']['Environment']['Variables']['EVENT_BUS_NAME']).toBe('lockdown');
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p['Properties']['PolicyDocument']['Statement'],
    );
    expect(statements.find((st: { Sid?: string }) => st.Sid === 'OutcomeEvents')).toMatchObject({
      Action: 'events:PutEvents',
      Condition: { 'ForAllValues:StringEquals': { 'events:source': 'lockdown' }, Null: { 'events:source': 'false' } },
    });
  });

  it('publishes the ingress and release topics and the secret as outputs, and the shared ARNs as SSM parameters', () => {
    template.hasOutput('IngressTopicArn', {});
    template.hasOutput('ReleaseTopicArn', {});
    template.hasOutput('ExternalIdSecretArn', {});
    template.resourceCountIs('AWS::SSM::Parameter', 8);
  });

  it('closes the release topic to everyone when nobody is named a releaser (an explicit deny, no exception)', () => {
    // This configuration names publishers but no releaser, and leaves the Security Hub release action off.
    const topicId = Object.entries(template.findResources('AWS::SNS::Topic')).find(
      ([, t]) => t['Properties']['TopicName'] === 'lockdown-release',
    )![0];
    const policy = Object.values(template.findResources('AWS::SNS::TopicPolicy')).find(
      (p) => p['Properties']['Topics'][0].Ref === topicId,
    )!;
    const statements = policy['Properties']['PolicyDocument']['Statement'] as Array<Record<string, unknown>>;
    expect(statements.filter((st) => st['Effect'] === 'Allow')).toEqual([]);
    expect(statements.find((st) => st['Sid'] === 'OnlyReleasersPublish')).toEqual({
      Sid: 'OnlyReleasersPublish',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'sns:Publish',
      Resource: { Ref: topicId },
    });
  });

  it('subscribes the intake to the ingress and release topics, and tells it which is which', () => {
    const topicIds = (name: string) =>
      Object.entries(template.findResources('AWS::SNS::Topic')).find(([, t]) => t['Properties']['TopicName'] === name)![0];
    const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription')).filter(
      (s) => s['Properties']['Protocol'] === 'lambda',
    );
    expect(subscriptions.map((s) => s['Properties']['TopicArn'].Ref).sort()).toEqual(
      [topicIds('lockdown-ingress'), topicIds('lockdown-release')].sort(),
    );
    const fn = Object.values(template.findResources('AWS::Lambda::Function')).find(
      (f) => f['Properties']['FunctionName'] === 'lockdown-intake',
    )!;
    expect(fn['Properties']['Environment']['Variables']).toMatchObject({
      INGRESS_TOPIC_ARN: { Ref: topicIds('lockdown-ingress') },
      RELEASE_TOPIC_ARN: { Ref: topicIds('lockdown-release') },
    });
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'lockdown-release', KmsMasterKeyId: Match.anyValue() });
  });
});

describe('member role stack', () => {
  const template = Template.fromStack(built.member);

  it('trusts the security account for the service roles only (aws:PrincipalArn), with the ExternalId', () => {
    const role = Object.values(template.findResources('AWS::IAM::Role'))[0]!;
    const trust = role['Properties']['AssumeRolePolicyDocument']['Statement'] as Array<Statement & { Principal: { AWS: unknown } }>;
    expect(trust).toHaveLength(1);
    expect(JSON.stringify(trust[0]!.Principal.AWS)).toContain(':iam::999999999999:root');
    expect(trust[0]!.Action).toBe('sts:AssumeRole');
    const condition = trust[0]!.Condition as { StringEquals: object; ArnEquals: { 'aws:PrincipalArn': unknown[] } };
    expect(condition.StringEquals).toEqual({ 'sts:ExternalId': 'lockdown-member' });
    const roles = condition.ArnEquals['aws:PrincipalArn'].map((r) => JSON.stringify(r));
    expect(roles).toHaveLength(SERVICES.length);
    for (const service of SERVICES) expect(roles.some((r) => r.includes(`:iam::999999999999:role/lockdown-${service}`))).toBe(true);
    expect(role['Properties']['RoleName']).toBe('lockdown-member');
  });

  it('refuses to synthesize without securityAccountId: never a silent trust of the deploying account', () => {
    expect(() => synth({ securityAccountId: undefined })).toThrow(
      new ConfigError(
        'securityAccountId is not set: the member role trusts the security account that runs lockdown; set it with -c securityAccountId=<12-digit account id> or in the context of cdk.json',
      ),
    );
  });

  it('can also require the organisation', () => {
    const org = synth({ organizationId: 'o-abcdef1234' });
    const role = Object.values(Template.fromStack(org.member).findResources('AWS::IAM::Role'))[0]!;
    for (const statement of role['Properties']['AssumeRolePolicyDocument']['Statement'] as Statement[])
      expect((statement.Condition as { StringEquals: object }).StringEquals).toEqual({
        'sts:ExternalId': 'lockdown-member',
        'aws:PrincipalOrgID': 'o-abcdef1234',
      });
  });

  it('deploys as a StackSet into accounts never CDK-bootstrapped: no bootstrap parameter, no rule', () => {
    const json = template.toJSON();
    expect(Object.keys(json['Parameters'] ?? {})).toEqual([]);
    expect(json['Rules']).toBeUndefined();
  });

  const MEMBER_POLICY_PROPS = {
    partition: 'aws',
    account: MEMBER_ACCOUNT_ID,
    memberRoleName: 'lockdown-member',
    securityAccountId: '999999999999',
  };
  const allowedIn = (statements: Statement[]) => new Set(statements.filter((s) => s.Effect === 'Allow').flatMap(actionsOf));
  /** The member-account calls (IAM, EC2, Lambda, Auto Scaling, ELB, S3, Identity Center, CloudTrail) the code of these projects makes. */
  const memberCallsOf = (...projects: string[]) =>
    new Set(
      [...actionsCalledBy(...projects)].filter((a) =>
        /^(iam|ec2|lambda|autoscaling|elasticloadbalancing|s3|sso|identitystore|cloudtrail):/.test(a),
      ),
    );
  const shared = allowedIn(memberRolePolicy(MEMBER_POLICY_PROPS).Statement);

  const sharing = SERVICES.filter((service) => !OWN_MEMBER_ROLE_SUFFIXES[service]);
  /** The resources of a role, by name: the role and the policies attached to it. */
  const roleNamed = (roleName: string) => {
    const [id, role] = Object.entries(template.findResources('AWS::IAM::Role')).find(([, r]) => r['Properties']['RoleName'] === roleName)!;
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      (p['Properties']['Roles'] as Array<{ Ref: string }>).some((r) => r.Ref === id),
    );
    return { role, statements: policies.flatMap((p) => p['Properties']['PolicyDocument']['Statement'] as Statement[]) };
  };

  it('allows exactly the member-account calls the services sharing it make (IAM, EC2, Lambda, Auto Scaling, ELB, S3, CloudTrail)', () => {
    const memberCalls = memberCallsOf(...sharing.map((service) => `apps/${service}`), 'libs/aws');
    expect(allowedIn(memberPolicy(MEMBER_POLICY_PROPS).Statement)).toEqual(memberCalls);
    expect(allowedIn(roleNamed('lockdown-member').statements)).toEqual(memberCalls);
  });

  // Every lockdown service role may assume the shared member role: a call that can grant access must not be in it.
  it('allows no Identity Center call in the shared member role: those can grant access, and only their own role has them', () => {
    const actions = [...allowedIn(roleNamed('lockdown-member').statements)];
    expect(actions.filter((a) => /^(sso|identitystore|sso-directory):/.test(a))).toEqual([]);
  });

  it("gives identity-center-lockdown a member role of its own, trusted by its role only, with exactly its code's member calls", () => {
    const { role, statements } = roleNamed('lockdown-member-identity-center');
    const trust = role['Properties']['AssumeRolePolicyDocument']['Statement'] as Array<Statement & { Principal: { AWS: unknown } }>;
    expect(trust).toHaveLength(1);
    expect(JSON.stringify(trust[0]!.Principal.AWS)).toContain(':iam::999999999999:root');
    const condition = trust[0]!.Condition as { StringEquals: object; ArnEquals: { 'aws:PrincipalArn': unknown } };
    expect(condition.StringEquals).toEqual({ 'sts:ExternalId': 'lockdown-member' });
    const trusted = [condition.ArnEquals['aws:PrincipalArn']].flat().map((r) => JSON.stringify(r));
    expect(trusted).toHaveLength(1);
    expect(trusted[0]).toContain(':iam::999999999999:role/lockdown-identity-center-lockdown"');
    // Its code's calls, and the persistence sweep's read every service's runtime makes (nothing on IAM).
    const calls = new Set([...memberCallsOf('apps/identity-center-lockdown'), ...MEMBER_ACTIONS.sweepRead]);
    expect(allowedIn(statements)).toEqual(calls);
    expect(allowedIn(ownMemberPolicy('identity-center-lockdown', MEMBER_POLICY_PROPS).Statement)).toEqual(calls);
    expect([...calls].filter((a) => a.startsWith('iam:'))).toEqual([]);
  });

  it("points identity-center-lockdown's function at its own member role, the other services at the shared one", () => {
    for (const service of SERVICES) {
      const stack = Template.fromStack(built.services.find((s) => s.stackName === `Lockdown-${service}`)!);
      const fn = Object.values(stack.findResources('AWS::Lambda::Function')).find(
        (f) => f['Properties']['Environment']?.['Variables']?.['MEMBER_ROLE_NAME'],
      )!;
      const expected = service === 'identity-center-lockdown' ? 'lockdown-member-identity-center' : 'lockdown-member';
      expect(fn['Properties']['Environment']['Variables']['MEMBER_ROLE_NAME']).toBe(expected);
    }
  });

  it("shares only the statements on IAM principals (three services contain principals or their roles) and the sweep every service's runtime runs; the rest is a descriptor's", () => {
    expect([...shared].filter((action) => !action.startsWith('iam:'))).toEqual([...MEMBER_ACTIONS.sweepRead]);
  });

  it.each(SERVICES)(
    "has in %s's descriptor the statements for exactly the member calls of its own code the shared ones do not cover",
    (service: ServiceName) => {
      const own = allowedIn(descriptorOf(service).memberStatements?.(MEMBER_POLICY_PROPS) ?? []);
      expect(own).toEqual(new Set([...memberCallsOf(`apps/${service}`)].filter((action) => !shared.has(action))));
    },
  );

  it('can attach no managed policy but AWSDenyAll, and never touches lockdown roles', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AttachOnlyAWSDenyAll',
            Condition: {
              ArnEquals: { 'iam:PolicyARN': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSDenyAll']] } },
            },
          }),
          Match.objectLike({ Sid: 'NeverTouchLockdown', Effect: 'Deny' }),
        ]),
      },
    });
  });
});

describe('every stack', () => {
  it.each(stacks.map((s) => [s.stackName, s] as const))(
    '%s keeps ledgers, logs and keys on delete, but not after a failed first create',
    (_name, stack) => {
      const resources = Object.values(Template.fromStack(stack).toJSON()['Resources'] as Record<string, { DeletionPolicy?: string }>);
      expect(resources.filter((r) => r.DeletionPolicy === 'Retain')).toEqual([]);
      if (!['LockdownMemberRole', 'LockdownOrgGuard'].includes(stack.stackName))
        expect(resources.some((r) => r.DeletionPolicy === 'RetainExceptOnCreate')).toBe(true);
    },
  );

  it('deploys the core stack before the services that read its parameters', () => {
    for (const service of built.services) expect(service.dependencies.map((d) => d.stackName)).toContain('LockdownCore');
  });

  it.each(built.services.map((s) => [s.stackName, s] as const))(
    '%s lets DynamoDB expire the unused API budget items in its ledger table (TTL)',
    (_name, stack) => {
      const [ledger] = Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::Table'));
      expect(ledger!['Properties']['TimeToLiveSpecification']).toEqual({ AttributeName: LEDGER_EXPIRY_ATTRIBUTE, Enabled: true });
    },
  );

  it.each(stacks.map((s) => [s.stackName, s] as const))('%s encrypts every topic, queue and table and enforces TLS', (_name, stack) => {
    const template = Template.fromStack(stack);
    for (const topic of Object.values(template.findResources('AWS::SNS::Topic')))
      expect(topic['Properties']['KmsMasterKeyId']).toBeDefined();
    for (const queue of Object.values(template.findResources('AWS::SQS::Queue')))
      expect(queue['Properties']['KmsMasterKeyId'] ?? queue['Properties']['SqsManagedSseEnabled']).toBeTruthy();
    for (const table of Object.values(template.findResources('AWS::DynamoDB::Table'))) {
      expect(table['Properties']['SSESpecification']).toEqual({ SSEEnabled: true });
      expect(table['Properties']['PointInTimeRecoverySpecification']).toEqual({ PointInTimeRecoveryEnabled: true });
    }
    const tls = (type: string) =>
      Object.values(template.findResources(type)).every((p) =>
        (p['Properties']['PolicyDocument']['Statement'] as Statement[]).some(
          (s) => s.Effect === 'Deny' && JSON.stringify(s.Condition ?? {}).includes('"aws:SecureTransport":"false"'),
        ),
      );
    expect(tls('AWS::SQS::QueuePolicy')).toBe(true);
    expect(tls('AWS::SNS::TopicPolicy')).toBe(true);
    expect(Object.keys(template.findResources('AWS::SQS::Queue')).length).toBe(
      Object.keys(template.findResources('AWS::SQS::QueuePolicy')).length,
    );
  });

  it.each(stacks.map((s) => [s.stackName, s] as const))(
    '%s has no unsuppressed cdk-nag finding, and every suppression says why',
    (_name, stack) => {
      expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
      const suppressions = Object.values(
        Template.fromStack(stack).toJSON()['Resources'] as Record<
          string,
          { Metadata?: { cdk_nag?: { rules_to_suppress: Array<{ id: string; reason: string }> } } }
        >,
      ).flatMap((r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? []);
      for (const s of suppressions) expect(s.reason.length).toBeGreaterThan(40);
    },
  );
});

describe('configuration', () => {
  it('has documented defaults', () => {
    const config = loadConfig(() => undefined);
    expect(config).toMatchObject({
      onboardedAccounts: 'all',
      memberRoleName: 'lockdown-member',
      untrackedWindowSeconds: 60,
      lambdaRoleMode: 'targeted',
      watchSchedule: [5, 30, 120, 600, 1800],
    });
  });

  it('reads the tamper watch schedule from -c (a list or one value) and cdk.json ([] turns it off), and refuses a decreasing one', () => {
    expect(loadConfig((key) => (key === 'watchSchedule' ? '10,60' : undefined)).watchSchedule).toEqual([10, 60]);
    expect(loadConfig((key) => (key === 'watchSchedule' ? '30' : undefined)).watchSchedule).toEqual([30]);
    expect(loadConfig((key) => (key === 'watchSchedule' ? [] : undefined)).watchSchedule).toEqual([]);
    expect(() => loadConfig((key) => (key === 'watchSchedule' ? '60,10' : undefined))).toThrow(/watchSchedule must be increasing/);
  });

  it('tells the intake and every service the security account they run in (their own) and the bootstrap qualifier', () => {
    const scopeOf = (stack: Stack) =>
      Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))
        .map((fn) => fn['Properties']['Environment']?.['Variables'])
        .filter((variables) => variables?.['ONBOARDED_ACCOUNTS']);
    for (const stack of [built.core, ...built.services])
      expect(scopeOf(stack)).toEqual([
        expect.objectContaining({
          SECURITY_ACCOUNT_ID: { Ref: 'AWS::AccountId' },
          BOOTSTRAP_QUALIFIER: 'hnb659fds',
          // identity-center-lockdown assumes its own member role (trusted by its role only).
          MEMBER_ROLE_NAME: stack.stackName === 'Lockdown-identity-center-lockdown' ? 'lockdown-member-identity-center' : 'lockdown-member',
        }),
      ]);
    const qualified = synth({ '@aws-cdk/core:bootstrapQualifier': 'sec01' });
    expect(scopeOf(qualified.core)).toEqual([expect.objectContaining({ BOOTSTRAP_QUALIFIER: 'sec01' })]);
  });

  it('gives every service its own queue and the watch schedule', () => {
    for (const stack of synth({ watchSchedule: '10,60' }).services) {
      const fn = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0]!;
      expect(fn['Properties']['Environment']['Variables']).toMatchObject({ WATCH_SCHEDULE: '10,60', QUEUE_URL: expect.anything() });
    }
  });

  it('takes releasers as IAM role or user ARNs only (not an account root, not a session), and leaves the Security Hub release action off', () => {
    const role = 'arn:aws:iam::111111111111:role/incident-lead';
    expect(loadConfig((key) => (key === 'allowedReleasers' ? role : undefined)).allowedReleasers).toEqual([role]);
    expect(loadConfig(() => undefined).triggers).toMatchObject({ securityHubActions: true, securityHubRelease: false });
    for (const bad of ['arn:aws:iam::111111111111:root', 'arn:aws:sts::111111111111:assumed-role/ir/s1', 'incident-lead'])
      expect(() => loadConfig((key) => (key === 'allowedReleasers' ? bad : undefined))).toThrow(
        /allowedReleasers must be IAM role or user ARNs/,
      );
  });

  it('reserves concurrency per function (intake, triggers, each service), configurable, and refuses less than a queue may use', () => {
    const reserved = (b: ReturnType<typeof synth>, name: string) =>
      Object.values(
        [b.core, b.triggers, ...b.services].flatMap((st) => Object.values(Template.fromStack(st).findResources('AWS::Lambda::Function'))),
      ).find((f) => f['Properties']['FunctionName'] === name)!['Properties']['ReservedConcurrentExecutions'];
    expect(reserved(built, 'lockdown-intake')).toBe(10);
    expect(reserved(built, 'lockdown-triggers')).toBe(5);
    const custom = synth({ reservedConcurrency: { intake: 50, triggers: 8, 'iam-lockdown': 20 } });
    expect([reserved(custom, 'lockdown-intake'), reserved(custom, 'lockdown-triggers'), reserved(custom, 'lockdown-iam-lockdown')]).toEqual(
      [50, 8, 20],
    );
    expect(() => loadConfig((key) => (key === 'reservedConcurrency' ? { 'iam-lockdown': 2 } : undefined))).toThrow(
      /reservedConcurrency\.iam-lockdown is 2, less than the maximumConcurrency of its queue \(5\)/,
    );
    // 500 + 400 and each service its queue's maximumConcurrency (5 + 2 + 3 + 2, and 2 for Identity Center).
    expect(
      configWarnings(loadConfig((key) => (key === 'reservedConcurrency' ? { intake: 500, triggers: 400 } : undefined))).join(),
    ).toMatch(/reserves 914 .* 900/);
  });

  it("refuses a memberRoleName whose services' own member roles would pass IAM's 64 characters", () => {
    const name = 'r'.repeat(60);
    expect(() => loadConfig((key) => (key === 'memberRoleName' ? name : undefined))).toThrow(/memberRoleName.*64/);
    expect(() => loadConfig((key) => (key === 'memberRoleName' ? 'r'.repeat(48) : undefined))).not.toThrow();
  });

  it('names every invalid setting', () => {
    const values: Record<string, unknown> = { onboardedAccounts: '12345', untrackedWindowSeconds: '1000', auditEmails: 'not-an-email' };
    expect(() => loadConfig((key) => values[key])).toThrow(/auditEmails.*onboardedAccounts.*untrackedWindowSeconds/s);
  });
});
