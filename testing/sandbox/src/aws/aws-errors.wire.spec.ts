import { AutoScalingClient, DescribeAutoScalingInstancesCommand } from '@aws-sdk/client-auto-scaling';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetAdministratorAccountCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DescribeOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import {
  AwsErrorCategory,
  awsErrorCategory,
  isAclBlockingOwnerEnforced,
  isConditionFailed,
  isDuplicateGroup,
  isDuplicateRule,
  isRuleAbsent,
  isNoSuchEntity,
  isS3SubresourceAbsent,
} from '@lockdown/containment';
import { SimulatedAws } from './simulated-aws';
import { awsError, wireErrorResponse } from './errors';

const clients = {
  iam: { Client: IAMClient, call: () => new GetUserCommand({ UserName: 'alice' }), operation: 'GetUser' },
  sts: {
    Client: STSClient,
    call: () => new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111111111111:role/r', RoleSessionName: 's' }),
    operation: 'AssumeRole',
  },
  ec2: { Client: EC2Client, call: () => new DescribeInstancesCommand({}), operation: 'DescribeInstances' },
  lambda: { Client: LambdaClient, call: () => new GetFunctionCommand({ FunctionName: 'f' }), operation: 'GetFunction' },
  autoscaling: {
    Client: AutoScalingClient,
    call: () => new DescribeAutoScalingInstancesCommand({}),
    operation: 'DescribeAutoScalingInstances',
  },
  elasticloadbalancing: {
    Client: ElasticLoadBalancingV2Client,
    call: () => new DescribeTargetHealthCommand({ TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/t/1' }),
    operation: 'DescribeTargetHealth',
  },
  s3: { Client: S3Client, call: () => new GetBucketPolicyCommand({ Bucket: 'b' }), operation: 'GetBucketPolicy' },
  sns: {
    Client: SNSClient,
    call: () => new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:111111111111:t', Message: 'm' }),
    operation: 'Publish',
  },
  // What `lockdown preflight` reads.
  ssm: { Client: SSMClient, call: () => new GetParameterCommand({ Name: '/cdk-bootstrap/hnb659fds/version' }), operation: 'GetParameter' },
  cloudformation: {
    Client: CloudFormationClient,
    call: () => new DescribeStacksCommand({ StackName: 'CDKToolkit' }),
    operation: 'DescribeStacks',
  },
  securityhub: { Client: SecurityHubClient, call: () => new DescribeHubCommand({}), operation: 'DescribeHub' },
  guardduty: {
    Client: GuardDutyClient,
    call: () => new GetAdministratorAccountCommand({ DetectorId: 'd' }),
    operation: 'GetAdministratorAccount',
  },
  organizations: { Client: OrganizationsClient, call: () => new DescribeOrganizationCommand({}), operation: 'DescribeOrganization' },
  // The ledger's conditional writes.
  dynamodb: { Client: DynamoDBClient, call: () => new PutItemCommand({ TableName: 't', Item: {} }), operation: 'PutItem' },
} as const;
type Service = keyof typeof clients;

/** Every AWS error lockdown's code tells apart: service, wire code, HTTP status, what it means. */
const CASES: Array<[Service, string, number, AwsErrorCategory]> = [
  ['iam', 'NoSuchEntity', 404, 'not-found'],
  ['iam', 'LimitExceeded', 409, 'limit-exceeded'],
  ['iam', 'Throttling', 400, 'throttled'],
  ['iam', 'AccessDenied', 403, 'access-denied'],
  ['iam', 'UnmodifiableEntity', 400, 'unmodifiable'],
  ['iam', 'ConcurrentModification', 409, 'conflict'],
  ['iam', 'ServiceFailure', 500, 'transient'],
  ['iam', 'MalformedPolicyDocument', 400, 'invalid'],
  ['sts', 'AccessDenied', 403, 'access-denied'],
  ['ec2', 'InvalidInstanceID.NotFound', 400, 'not-found'],
  ['ec2', 'InvalidNetworkInterfaceID.NotFound', 400, 'not-found'],
  ['ec2', 'InvalidPermission.NotFound', 400, 'not-found'],
  ['ec2', 'InvalidGroup.NotFound', 400, 'invalid'],
  ['ec2', 'InvalidGroup.Duplicate', 400, 'invalid'],
  ['ec2', 'RequestLimitExceeded', 503, 'throttled'],
  ['ec2', 'UnauthorizedOperation', 403, 'access-denied'],
  ['ec2', 'SecurityGroupLimitExceeded', 400, 'limit-exceeded'],
  ['ec2', 'InternalError', 500, 'transient'],
  ['lambda', 'ResourceNotFoundException', 404, 'not-found'],
  ['lambda', 'TooManyRequestsException', 429, 'throttled'],
  ['lambda', 'EC2ThrottledException', 502, 'throttled'],
  ['lambda', 'ResourceConflictException', 409, 'conflict'],
  ['lambda', 'AccessDeniedException', 403, 'access-denied'],
  ['lambda', 'InvalidParameterValueException', 400, 'invalid'],
  ['lambda', 'ServiceException', 500, 'transient'],
  ['autoscaling', 'ResourceContention', 500, 'conflict'],
  ['autoscaling', 'ValidationError', 400, 'invalid'],
  ['elasticloadbalancing', 'TargetGroupNotFound', 400, 'not-found'],
  ['s3', 'NoSuchBucket', 404, 'not-found'],
  ['s3', 'AccessDenied', 403, 'access-denied'],
  ['s3', 'SlowDown', 503, 'throttled'],
  ['s3', 'InternalError', 500, 'transient'],
  ['s3', 'InvalidBucketAclWithObjectOwnership', 400, 'invalid'],
  // What the CLI's publisher meets.
  ['sns', 'NotFound', 404, 'not-found'],
  ['sns', 'AuthorizationError', 403, 'access-denied'],
  // What `lockdown preflight` meets: its adapter tells absence apart by these names (aws-reads.ts).
  ['ssm', 'ParameterNotFound', 400, 'unknown'],
  ['cloudformation', 'ValidationError', 400, 'invalid'],
  ['securityhub', 'InvalidAccessException', 401, 'invalid'],
  ['guardduty', 'BadRequestException', 400, 'unknown'],
  ['organizations', 'AWSOrganizationsNotInUseException', 404, 'unknown'],
  ['organizations', 'AccessDeniedException', 403, 'access-denied'],
  ['organizations', 'OrganizationalUnitNotFoundException', 404, 'unknown'],
  ['organizations', 'AccountNotFoundException', 404, 'unknown'],
];

const credentials = { accessKeyId: 'AKIATESTTESTTESTTEST', secretAccessKey: 'test' };

/** A client whose HTTP layer answers every request with this raw response (no sandbox). */
function overTheWire(service: Service, code: string, status: number) {
  const { Client } = clients[service];
  const requestHandler = { handle: async () => ({ response: wireErrorResponse(service, awsError(code, 'from the wire', status)) }) };
  return new Client({ region: 'us-east-1', credentials, maxAttempts: 1, requestHandler } as never);
}

async function errorOf(client: { send: (command: never) => Promise<unknown> }, service: Service): Promise<any> {
  try {
    await client.send(clients[service].call() as never);
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('AWS errors as the SDK delivers them', () => {
  const sandbox = new SimulatedAws();
  async function fromSandbox(service: Service, code: string, status: number) {
    const uninstall = sandbox.install();
    try {
      sandbox.inject({ service, operation: clients[service].operation, fault: () => awsError(code, 'from the sandbox', status), times: 1 });
      const { Client } = clients[service];
      return await errorOf(new Client({ region: 'us-east-1', credentials, maxAttempts: 1 } as never), service);
    } finally {
      uninstall();
      sandbox.clearFaults();
    }
  }

  it.each(CASES)(
    '%s %s (HTTP %s): the sandbox gives the error a raw response gives, meaning %s',
    async (service, code, status, category) => {
      // Prepare: the same error once from a raw protocol response, once from the sandbox.
      const raw = await errorOf(overTheWire(service, code, status), service);
      expect(awsErrorCategory(raw)).toBe(category);
      if (service === 'sns') return; // the sandbox serves member-account services only
      const served = await fromSandbox(service, code, status);

      // Assert: one name, one class, the SDK's metadata, one meaning.
      expect(served.name).toBe(raw.name);
      expect(served.constructor).toBe(raw.constructor);
      expect(served.$fault).toBe(raw.$fault);
      expect(served.$metadata.httpStatusCode).toBe(status);
    },
  );

  it("names S3's answers for a missing sub-resource as s3-lockdown reads them (unmodeled: the wire code is the name)", async () => {
    for (const code of ['NoSuchBucketPolicy', 'NoSuchPublicAccessBlockConfiguration', 'OwnershipControlsNotFoundError', 'NoSuchTagSet']) {
      const raw = await errorOf(overTheWire('s3', code, 404), 's3');
      expect(raw.name).toBe(code);
      expect(raw.$metadata.httpStatusCode).toBe(404);
    }
  });

  it("names the answers preflight reads as absence exactly as its adapter expects them (the modeled classes' names)", async () => {
    const absent: Array<[Service, string, number]> = [
      ['ssm', 'ParameterNotFound', 400],
      ['cloudformation', 'ValidationError', 400],
      ['securityhub', 'InvalidAccessException', 401],
      ['organizations', 'AWSOrganizationsNotInUseException', 404],
      ['organizations', 'OrganizationalUnitNotFoundException', 404],
      ['organizations', 'AccountNotFoundException', 404],
    ];
    for (const [service, code, status] of absent) {
      const raw = await errorOf(overTheWire(service, code, status), service);
      expect([service, raw.name, raw.constructor.name]).toEqual([
        service,
        code,
        code === 'ValidationError' ? 'CloudFormationServiceException' : code,
      ]);
    }
  });

  it('tells apart the errors steps and adapters act on, with the one predicate aws-errors.ts gives each, from a raw response', async () => {
    const toldApart: Array<[Service, string, number, (error: unknown) => boolean]> = [
      ['iam', 'NoSuchEntity', 404, isNoSuchEntity], // login-profile: no console password any more
      ['ec2', 'InvalidGroup.Duplicate', 400, isDuplicateGroup], // security-groups: another isolation created it first
      ['ec2', 'InvalidPermission.NotFound', 400, isRuleAbsent], // security-groups: a rule already revoked
      ['ec2', 'InvalidPermission.Duplicate', 400, isDuplicateRule], // security-groups: a rule already there
      ['s3', 'InvalidBucketAclWithObjectOwnership', 400, isAclBlockingOwnerEnforced], // object-ownership: ACLs stay on
      ['s3', 'NoSuchBucketPolicy', 404, isS3SubresourceAbsent], // bucket-api: the bucket has none
      ['s3', 'NoSuchPublicAccessBlockConfiguration', 404, isS3SubresourceAbsent],
      ['s3', 'OwnershipControlsNotFoundError', 404, isS3SubresourceAbsent],
      ['s3', 'NoSuchTagSet', 404, isS3SubresourceAbsent],
      ['dynamodb', 'ConditionalCheckFailedException', 400, isConditionFailed], // dynamodb-ledger: another cycle won
    ];
    for (const [service, code, status, isIt] of toldApart) {
      const raw = await errorOf(overTheWire(service, code, status), service);
      const other = await errorOf(overTheWire(service, 'AccessDenied', 403), service);
      expect([service, code, isIt(raw), isIt(other)]).toEqual([service, code, true, false]);
    }
  });

  it('delivers IAM and Lambda errors as their modeled exception classes, not as the wire codes', async () => {
    const iam = await errorOf(overTheWire('iam', 'NoSuchEntity', 404), 'iam');
    const lambda = await errorOf(overTheWire('lambda', 'ResourceNotFoundException', 404), 'lambda');
    expect([iam.name, iam.constructor.name]).toEqual(['NoSuchEntityException', 'NoSuchEntityException']);
    expect(lambda.constructor.name).toBe('ResourceNotFoundException');
  });
});
