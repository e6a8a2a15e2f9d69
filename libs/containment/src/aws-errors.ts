/**
 * What an AWS error means, decided in one place from the `name` the SDK v3 gives it: the client's
 * modeled exception class where the service models one (IAM `NoSuchEntityException`, Lambda
 * `ResourceNotFoundException`, S3 `NoSuchBucket`), the wire code otherwise (EC2 `InvalidInstanceID.NotFound`,
 * IAM's unmodeled `Throttling`). `aws-errors.wire.spec.ts` in testing/sandbox proves each name below is what
 * the SDK's own deserializers produce from a raw Query XML, EC2 XML, REST-JSON or REST-XML error response.
 */
export type AwsErrorCategory =
  'throttled' | 'transient' | 'conflict' | 'access-denied' | 'not-found' | 'limit-exceeded' | 'unmodifiable' | 'invalid' | 'unknown';

/** The entity or resource a call acts on no longer exists. */
export const NOT_FOUND_ERRORS = [
  'NoSuchEntityException', // IAM
  'ResourceNotFoundException', // Lambda
  'InvalidInstanceID.NotFound', // EC2
  'InvalidNetworkInterfaceID.NotFound', // EC2
  'InvalidPermission.NotFound', // EC2: a rule already revoked
  'TargetGroupNotFoundException', // ELBv2
  'NotFoundException', // SNS: no such topic
  'NoSuchBucket', // S3
] as const;

/** A quota is full (never fixed by retrying). */
export const LIMIT_EXCEEDED_ERRORS = [
  'LimitExceededException', // IAM: 10 managed policies, inline-policy size
  'SecurityGroupLimitExceeded', // EC2
  'RulesPerSecurityGroupLimitExceeded', // EC2
  'SecurityGroupsPerInterfaceLimitExceeded', // EC2
] as const;

export const THROTTLING_ERRORS = [
  'Throttling', // IAM, STS, Auto Scaling, ELBv2 (unmodeled, wire code)
  'ThrottlingException',
  'TooManyRequestsException', // Lambda
  'RequestLimitExceeded', // EC2
  'EC2ThrottledException', // Lambda, when EC2 throttles it
  'ProvisionedThroughputExceededException', // DynamoDB
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
] as const;

export const CONFLICT_ERRORS = [
  'ConcurrentModificationException', // IAM
  'ResourceConflictException', // Lambda
  'TransactionConflictException', // DynamoDB
  'ResourceContentionFault', // Auto Scaling
] as const;

export const TRANSIENT_ERRORS = [
  'ServiceFailureException', // IAM
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'ServiceException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
] as const;

export const ACCESS_DENIED_ERRORS = [
  'AccessDenied', // IAM, STS, Auto Scaling, ELBv2, S3 (also another owner than ExpectedBucketOwner)
  'AccessDeniedException', // Lambda, DynamoDB
  'UnauthorizedOperation', // EC2
  'AuthorizationErrorException', // SNS
  'AuthFailure',
  'UnauthorizedException',
] as const;

export const UNMODIFIABLE_ERRORS = ['UnmodifiableEntityException'] as const;

const INVALID = new Set([
  'ValidationError',
  'ValidationException',
  'MalformedPolicyDocumentException',
  'DependencyViolation',
  'OperationNotPermitted',
]);

const BY_NAME = new Map<string, AwsErrorCategory>([
  ...NOT_FOUND_ERRORS.map((n) => [n, 'not-found'] as const),
  ...LIMIT_EXCEEDED_ERRORS.map((n) => [n, 'limit-exceeded'] as const),
  ...THROTTLING_ERRORS.map((n) => [n, 'throttled'] as const),
  ...CONFLICT_ERRORS.map((n) => [n, 'conflict'] as const),
  ...TRANSIENT_ERRORS.map((n) => [n, 'transient'] as const),
  ...ACCESS_DENIED_ERRORS.map((n) => [n, 'access-denied'] as const),
  ...UNMODIFIABLE_ERRORS.map((n) => [n, 'unmodifiable'] as const),
]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** The SDK's name of an error (a Node socket error has only `code`). */
export function awsErrorName(error: unknown): string {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
  return typeof e.name === 'string' && e.name !== 'Error' ? e.name : typeof e.code === 'string' ? e.code : '';
}

/** The category of an AWS error: by name first, then by HTTP status and the SDK's retryable flag. */
export function awsErrorCategory(error: unknown): AwsErrorCategory {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
  const name = awsErrorName(error);
  const known = BY_NAME.get(name);
  if (known) return known;
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  if (status === 429) return 'throttled';
  if ((status !== undefined && status >= 500) || e.$retryable) return 'transient';
  if (INVALID.has(name) || name.startsWith('Invalid')) return 'invalid';
  return 'unknown';
}

export const isNotFound = (error: unknown) => awsErrorCategory(error) === 'not-found';
export const isLimitExceeded = (error: unknown) => awsErrorCategory(error) === 'limit-exceeded';
export const isAccessDenied = (error: unknown) => awsErrorCategory(error) === 'access-denied';

// The errors a step or an adapter acts on by name, each with its one predicate (aws-errors.wire.spec.ts
// in testing/sandbox proves each name is what the SDK deserializes from the service's raw error response).

/** IAM: the entity or sub-resource (a user's console password) does not exist. */
export const isNoSuchEntity = (error: unknown) => awsErrorName(error) === 'NoSuchEntityException';
/** EC2: the rule to revoke is not there (already revoked). */
export const isRuleAbsent = (error: unknown) => awsErrorName(error) === 'InvalidPermission.NotFound';
/** EC2: the rule to authorize is there already. */
export const isDuplicateRule = (error: unknown) => awsErrorName(error) === 'InvalidPermission.Duplicate';
/** EC2: a security group of that name already exists in the VPC (another isolation created it first). */
export const isDuplicateGroup = (error: unknown) => awsErrorName(error) === 'InvalidGroup.Duplicate';
/** S3: ACLs cannot be turned off (BucketOwnerEnforced) while the bucket ACL grants access beyond its owner. */
export const isAclBlockingOwnerEnforced = (error: unknown) => awsErrorName(error) === 'InvalidBucketAclWithObjectOwnership';
/** S3's answers for a sub-resource a bucket does not have (unmodeled: the wire code is the name). */
export const S3_ABSENT_ERRORS = [
  'NoSuchBucketPolicy',
  'NoSuchPublicAccessBlockConfiguration',
  'OwnershipControlsNotFoundError',
  'NoSuchTagSet',
] as const;
export const isS3SubresourceAbsent = (error: unknown) => (S3_ABSENT_ERRORS as readonly string[]).includes(awsErrorName(error));
/** DynamoDB: a conditional write's condition did not hold. */
export const isConditionFailed = (error: unknown) => awsErrorName(error) === 'ConditionalCheckFailedException';
