import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { synth } from '../test/synth';

/**
 * String properties whose limits AWS documents but CloudFormation only enforces at deploy time
 * (a stack that synthesizes, passes cdk-nag and fails on its first deployment). Each row names the
 * API reference that documents the limit. Values CloudFormation resolves at deploy time (Ref,
 * Fn::Join of an SSM parameter) are not known here and are skipped; every row must check at least
 * one literal value, so a renamed property cannot make it pass vacuously.
 */
type Limit = { max: number; pattern?: RegExp; notBlank?: boolean };
const rows: Array<[type: string, property: string, limit: Limit, source: string]> = [
  // Id "can contain up to 20 alphanumeric characters"; Name "up to 20 characters"; Description pattern .*\S.*
  [
    'AWS::SecurityHub::ActionTarget',
    'Id',
    { max: 20, pattern: /^[A-Za-z0-9]+$/ },
    'https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_CreateActionTarget.html',
  ],
  [
    'AWS::SecurityHub::ActionTarget',
    'Name',
    { max: 20, notBlank: true },
    'https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_CreateActionTarget.html',
  ],
  [
    'AWS::SecurityHub::ActionTarget',
    'Description',
    { max: 1024, notBlank: true },
    'https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_CreateActionTarget.html',
  ],
  [
    'AWS::IAM::Role',
    'RoleName',
    { max: 64, pattern: /^[\w+=,.@-]+$/ },
    'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html',
  ],
  // Description: up to 1000 characters of [\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]
  [
    'AWS::IAM::Role',
    'Description',
    // eslint-disable-next-line no-control-regex -- tab, line feed and carriage return are what IAM documents
    { max: 1000, pattern: /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/ },
    'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html',
  ],
  [
    'AWS::IAM::Policy',
    'PolicyName',
    { max: 128, pattern: /^[\w+=,.@-]+$/ },
    'https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html',
  ],
  [
    'AWS::SNS::Topic',
    'TopicName',
    { max: 256, pattern: /^[A-Za-z0-9_-]+$/ },
    'https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html',
  ],
  [
    'AWS::SQS::Queue',
    'QueueName',
    { max: 80, pattern: /^[A-Za-z0-9_-]+$/ },
    'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html',
  ],
  [
    'AWS::Lambda::Function',
    'FunctionName',
    { max: 64, pattern: /^[a-zA-Z0-9-_]+$/ },
    'https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html',
  ],
  ['AWS::Lambda::Function', 'Description', { max: 256 }, 'https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html'],
  [
    'AWS::CloudWatch::Alarm',
    'AlarmName',
    { max: 255, notBlank: true },
    'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html',
  ],
  [
    'AWS::CloudWatch::Alarm',
    'AlarmDescription',
    { max: 1024 },
    'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html',
  ],
  [
    'AWS::CloudWatch::Dashboard',
    'DashboardName',
    { max: 255, pattern: /^[A-Za-z0-9_-]+$/ },
    'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html',
  ],
  [
    'AWS::Events::Rule',
    'Name',
    { max: 64, pattern: /^[.\-_A-Za-z0-9]+$/ },
    'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html',
  ],
  ['AWS::Events::Rule', 'Description', { max: 512 }, 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html'],
  [
    'AWS::Events::EventBus',
    'Name',
    { max: 256, pattern: /^[/.\-_A-Za-z0-9]+$/ },
    'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html',
  ],
  [
    'AWS::Organizations::Policy',
    'Name',
    { max: 128, notBlank: true },
    'https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreatePolicy.html',
  ],
  [
    'AWS::Organizations::Policy',
    'Description',
    { max: 512 },
    'https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreatePolicy.html',
  ],
  [
    'AWS::SSM::Parameter',
    'Name',
    { max: 1011, pattern: /^(?!aws|ssm)[a-zA-Z0-9_.\-/]+$/i },
    'https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html',
  ],
  ['AWS::KMS::Key', 'Description', { max: 8192 }, 'https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html'],
  [
    'AWS::Logs::LogGroup',
    'LogGroupName',
    { max: 512, pattern: /^[.\-_/#A-Za-z0-9]+$/ },
    'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html',
  ],
  [
    'AWS::DynamoDB::Table',
    'TableName',
    { max: 255, pattern: /^[a-zA-Z0-9_.-]{3,}$/ },
    'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html',
  ],
  [
    'AWS::SecretsManager::Secret',
    'Description',
    { max: 2048 },
    'https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html',
  ],
];

// Every stack, with every optional resource on (an SCP attached, Security Hub actions).
const built = synth({ securityAccountId: '999999999999', orgGuardTargets: 'r-abcd', auditEmails: 'soc@example.com' });
const stacks: Stack[] = [built.core, ...built.services, built.member, built.orgGuard, built.triggers];
const resources = stacks.flatMap((stack) =>
  Object.entries(
    Template.fromStack(stack).toJSON()['Resources'] as Record<string, { Type: string; Properties?: Record<string, unknown> }>,
  ).map(([id, r]) => ({ where: `${stack.stackName}/${id}`, ...r })),
);

function violation(value: string, limit: Limit): string | undefined {
  if (value.length > limit.max) return `${value.length} characters, more than ${limit.max}`;
  if (limit.notBlank && !/\S/.test(value)) return 'blank';
  if (limit.pattern && !limit.pattern.test(value)) return `not ${limit.pattern}`;
  return undefined;
}

describe('documented limits of the synthesized templates', () => {
  it.each(rows)('%s %s (%o, %s)', (type, property, limit) => {
    const values = resources
      .filter((r) => r.Type === type)
      .map((r) => ({ where: r.where, value: r.Properties?.[property] }))
      .filter((v): v is { where: string; value: string } => typeof v.value === 'string');
    expect(values.length).toBeGreaterThan(0);
    expect(
      values.flatMap(({ where, value }) => (violation(value, limit) ? [`${where}: ${violation(value, limit)}: ${value}`] : [])),
    ).toEqual([]);
  });

  it("every stack description fits CloudFormation's 1,024 bytes (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-description-structure.html)", () => {
    for (const stack of stacks) expect(Buffer.byteLength(stack.templateOptions.description ?? '')).toBeLessThanOrEqual(1024);
  });

  // "The total size of all environment variables doesn't exceed 4 KB" (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html):
  // a long GuardDuty policy in cdk.json would fail the triggers' deployment. A value CloudFormation
  // resolves (an SSM parameter's ARN) is counted as 256 characters, more than any ARN lockdown passes.
  it("keeps every function environment under Lambda's 4 KB", () => {
    for (const fn of resources.filter((r) => r.Type === 'AWS::Lambda::Function')) {
      const variables = ((fn.Properties?.['Environment'] as { Variables?: Record<string, unknown> })?.Variables ?? {}) as Record<
        string,
        unknown
      >;
      const size = Object.entries(variables).reduce(
        (sum, [k, v]) => sum + k.length + (typeof v === 'string' ? Buffer.byteLength(v) : 256),
        0,
      );
      expect({ where: fn.where, size: Math.min(size, 4096) }).toEqual({ where: fn.where, size });
    }
  });
});
