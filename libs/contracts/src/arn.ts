import { EntityRef, Partition, PARTITIONS } from './entity';

export type ArnRejectionCode =
  | 'empty'
  | 'too-long'
  | 'invalid-characters'
  | 'malformed'
  | 'unsupported-partition'
  | 'unsupported-service'
  | 'unsupported-resource-type'
  | 'invalid-account'
  | 'invalid-region'
  | 'region-not-allowed'
  | 'partition-region-mismatch'
  | 'invalid-path'
  | 'invalid-name'
  | 'invalid-qualifier'
  | 'invalid-instance-id'
  | 'invalid-bucket-name'
  | 'account-required'
  | 'region-required';

export interface ArnRejection {
  code: ArnRejectionCode;
  message: string;
}

export type ArnParseResult = { ok: true; entity: EntityRef } | { ok: false; error: ArnRejection };

/** IAM ARNs may be up to 2048 characters; nothing we support is longer. */
export const MAX_ARN_LENGTH = 2048;

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
// IAM user and role names: alphanumerics and +=,.@_- (the `[\w+=,.@-]` class of the IAM API).
const IAM_NAME = /^[A-Za-z0-9+=,.@_-]+$/;
const IAM_NAME_MAX = { user: 64, role: 64 } as const;
// IAM paths: `/` or `/segment/.../`, printable ASCII without spaces, at most 512 characters.
const IAM_PATH = /^\/(?:[\x21-\x7e]*\/)?$/;
const IAM_PATH_MAX = 512;
const LAMBDA_NAME = /^[A-Za-z0-9_-]+$/;
const LAMBDA_NAME_MAX = 64;
const LAMBDA_VERSION = /^(\$LATEST|\d+)$/;
const LAMBDA_ALIAS = /^[A-Za-z0-9_-]+$/;
const LAMBDA_QUALIFIER_MAX = 128;
const INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
// Whitespace, C0/C1 controls, and Unicode separators/format characters.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARACTER = /[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202f\u2060\ufeff]/u;

const reject = (code: ArnRejectionCode, message: string): ArnParseResult => ({
  ok: false,
  error: { code, message },
});

function isPartition(value: string): value is Partition {
  return (PARTITIONS as readonly string[]).includes(value);
}

function regionMatchesPartition(partition: Partition, region: string): boolean {
  if (partition === 'aws-cn') return region.startsWith('cn-');
  if (partition === 'aws-us-gov') return region.startsWith('us-gov-');
  return !region.startsWith('cn-') && !region.startsWith('us-gov-');
}

/**
 * What the request says besides the ARN: the owner of an S3 bucket (its ARN names no account); the
 * Identity Center account and the instance's region of an Identity Center user (its ARN names neither).
 */
export interface ArnContext {
  accountId?: string;
  region?: string;
}

/**
 * Parses the ARN of a supported entity (IAM user, IAM role, Lambda function, EC2 instance, S3
 * bucket). Anything else is a typed rejection whose message says exactly what is wrong.
 */
export function parseEntityArn(input: string, context: ArnContext = {}): ArnParseResult {
  const result = parseArn(input, context);
  // An account the request names besides the ARN must be the ARN's own: a contradiction is refused.
  if (result.ok && context.accountId !== undefined && result.entity.accountId !== context.accountId)
    return reject(
      'invalid-account',
      `the AccountId attribute (${context.accountId}) names another account than the ARN (${result.entity.accountId})`,
    );
  if (result.ok && context.region !== undefined) {
    const own = 'region' in result.entity ? result.entity.region : undefined;
    if (own === undefined)
      return reject('region-not-allowed', `a ${result.entity.type} ARN takes no Region attribute (only an Identity Center user does)`);
    if (own !== context.region)
      return reject('invalid-region', `the Region attribute (${context.region}) names another region than the ARN (${own})`);
  }
  return result;
}

function parseArn(input: string, context: ArnContext): ArnParseResult {
  if (typeof input !== 'string' || input.length === 0) return reject('empty', 'the ARN is empty');
  if (input.length > MAX_ARN_LENGTH)
    return reject('too-long', `the ARN is ${input.length} characters long; the maximum is ${MAX_ARN_LENGTH}`);
  const bad = FORBIDDEN_CHARACTER.exec(input);
  if (bad)
    return reject(
      'invalid-characters',
      `the ARN contains whitespace or a control character (U+${(bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}) at position ${bad.index}`,
    );

  const parts = input.split(':');
  if (parts.length < 6 || parts[0] !== 'arn')
    return reject('malformed', 'not an ARN: expected arn:partition:service:region:account-id:resource');
  const [, partition, service, region, accountId] = parts as [string, string, string, string, string];
  const resource = parts.slice(5).join(':');

  if (!isPartition(partition))
    return reject('unsupported-partition', `partition "${partition}" is not supported (expected one of ${PARTITIONS.join(', ')})`);
  if (
    service !== 'iam' &&
    service !== 'sts' &&
    service !== 'lambda' &&
    service !== 'ec2' &&
    service !== 's3' &&
    service !== 'identitystore'
  )
    return reject(
      'unsupported-service',
      `service "${service}" is not supported: lockdown contains IAM users, roles and role sessions, Lambda functions, EC2 instances, S3 buckets and Identity Center users`,
    );
  if (service === 's3') return parseS3(input, partition, region, accountId, resource, context);
  if (service === 'identitystore') return parseIdentityCenterUser(input, partition, region, accountId, resource, context);
  if (!ACCOUNT_ID.test(accountId)) return reject('invalid-account', `account id "${accountId}" is not 12 digits`);

  switch (service) {
    case 'iam':
      if (region !== '') return reject('region-not-allowed', `IAM is global: an IAM ARN has no region, got "${region}"`);
      return parseIam(input, partition, accountId, resource);
    case 'sts':
      if (region !== '') return reject('region-not-allowed', `an assumed-role ARN has no region, got "${region}"`);
      return parseSession(input, partition, accountId, resource);
    default: {
      if (!REGION.test(region)) return reject('invalid-region', `"${region}" is not a valid AWS region`);
      if (!regionMatchesPartition(partition, region))
        return reject('partition-region-mismatch', `region ${region} is not in partition ${partition}`);
      return service === 'lambda'
        ? parseLambda(input, partition, region, accountId, resource)
        : parseEc2(input, partition, region, accountId, resource);
    }
  }
}

function parseIam(arn: string, partition: Partition, accountId: string, resource: string): ArnParseResult {
  const slash = resource.indexOf('/');
  const kind = slash === -1 ? resource : resource.slice(0, slash);
  if (kind !== 'user' && kind !== 'role')
    return reject('unsupported-resource-type', `IAM resource type "${kind}" is not supported (only user and role)`);
  if (slash === -1) return reject('invalid-name', `the IAM ${kind} name is empty`);
  const rest = resource.slice(slash + 1);
  const lastSlash = rest.lastIndexOf('/');
  const path = lastSlash === -1 ? '/' : `/${rest.slice(0, lastSlash + 1)}`;
  const name = rest.slice(lastSlash + 1);

  if (path.length > IAM_PATH_MAX || !IAM_PATH.test(path) || path.includes('//'))
    return reject('invalid-path', `IAM path "${path}" is not valid`);
  if (name.length === 0) return reject('invalid-name', `the IAM ${kind} name is empty`);
  if (name.length > IAM_NAME_MAX[kind])
    return reject('invalid-name', `IAM ${kind} name is ${name.length} characters; the maximum is ${IAM_NAME_MAX[kind]}`);
  if (!IAM_NAME.test(name))
    return reject('invalid-name', `IAM ${kind} name "${name}" has characters IAM does not allow (allowed: letters, digits, +=,.@_-)`);

  const base = { arn, requestedArn: arn, partition, accountId, name, path };
  return kind === 'user'
    ? { ok: true, entity: { type: 'iam-user', ...base } }
    : { ok: true, entity: { type: 'iam-role', ...base, serviceLinked: path.startsWith('/aws-service-role/') } };
}

function parseLambda(arn: string, partition: Partition, region: string, accountId: string, resource: string): ArnParseResult {
  const segments = resource.split(':');
  if (segments[0] !== 'function')
    return reject('unsupported-resource-type', `Lambda resource type "${segments[0]}" is not supported (only function)`);
  if (segments.length > 3) return reject('malformed', 'a Lambda function ARN has at most one qualifier');
  const name = segments[1] ?? '';
  if (name.length === 0) return reject('invalid-name', 'the Lambda function name is empty');
  if (name.length > LAMBDA_NAME_MAX)
    return reject('invalid-name', `Lambda function name is ${name.length} characters; the maximum is ${LAMBDA_NAME_MAX}`);
  if (!LAMBDA_NAME.test(name))
    return reject(
      'invalid-name',
      `Lambda function name "${name}" has characters Lambda does not allow (allowed: letters, digits, - and _)`,
    );

  const qualifier = segments[2];
  if (qualifier !== undefined) {
    const valid =
      qualifier.length > 0 && qualifier.length <= LAMBDA_QUALIFIER_MAX && (LAMBDA_VERSION.test(qualifier) || LAMBDA_ALIAS.test(qualifier));
    if (!valid) return reject('invalid-qualifier', `"${qualifier}" is not a valid Lambda version or alias`);
  }
  const functionArn = `arn:${partition}:lambda:${region}:${accountId}:function:${name}`;
  return {
    ok: true,
    entity: {
      type: 'lambda-function',
      arn: functionArn,
      requestedArn: arn,
      partition,
      accountId,
      region,
      name,
      ...(qualifier !== undefined ? { qualifier } : {}),
    },
  };
}

function parseEc2(arn: string, partition: Partition, region: string, accountId: string, resource: string): ArnParseResult {
  const slash = resource.indexOf('/');
  const kind = slash === -1 ? resource : resource.slice(0, slash);
  if (kind !== 'instance') return reject('unsupported-resource-type', `EC2 resource type "${kind}" is not supported (only instance)`);
  const instanceId = resource.slice(slash + 1);
  if (!INSTANCE_ID.test(instanceId))
    return reject('invalid-instance-id', `"${instanceId}" is not an EC2 instance id (i- followed by 8 or 17 hex digits)`);
  return {
    ok: true,
    entity: { type: 'ec2-instance', arn, requestedArn: arn, partition, accountId, region, name: instanceId, instanceId },
  };
}

// Bucket names (general purpose buckets): 3-63 lowercase letters, digits, dots and hyphens, starting
// and ending with a letter or digit, no "..", not an IP address, none of S3's reserved prefixes or suffixes.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d+\.\d+\.\d+\.\d+$/;
const RESERVED_BUCKET_AFFIXES = [/^xn--/, /^sthree-/, /^amzn-s3-demo-/, /-s3alias$/, /--ol-s3$/, /\.mrap$/, /--x-s3$/, /--table-s3$/];

function parseS3(arn: string, partition: Partition, region: string, owner: string, resource: string, context: ArnContext): ArnParseResult {
  if (region !== '' || owner !== '')
    return reject('malformed', 'an S3 bucket ARN has no region and no account: arn:<partition>:s3:::<bucket>');
  if (resource.includes('/'))
    return reject('unsupported-resource-type', 'S3 objects are not supported (only buckets: arn:<partition>:s3:::<bucket>)');
  const bad =
    !BUCKET_NAME.test(resource) ||
    resource.includes('..') ||
    IP_ADDRESS.test(resource) ||
    RESERVED_BUCKET_AFFIXES.some((r) => r.test(resource));
  if (bad) return reject('invalid-bucket-name', `"${resource}" is not a valid S3 bucket name`);
  if (context.accountId === undefined)
    return reject('account-required', 'an S3 ARN names no account: give the owner account id in the AccountId attribute');
  if (!ACCOUNT_ID.test(context.accountId)) return reject('invalid-account', `account id "${context.accountId}" is not 12 digits`);
  return { ok: true, entity: { type: 's3-bucket', arn, requestedArn: arn, partition, accountId: context.accountId, name: resource } };
}

// Role session names: 2 to 64 of letters, digits and +=,.@_- (AssumeRole's RoleSessionName).
const SESSION_NAME = /^[A-Za-z0-9+=,.@_-]{2,64}$/;

function parseSession(arn: string, partition: Partition, accountId: string, resource: string): ArnParseResult {
  const [kind, roleName, sessionName, ...rest] = resource.split('/');
  if (kind !== 'assumed-role')
    return reject('unsupported-resource-type', `STS resource type "${kind}" is not supported (only assumed-role sessions)`);
  if (rest.length > 0 || !roleName || sessionName === undefined)
    return reject('malformed', 'an assumed-role ARN is arn:<partition>:sts::<account>:assumed-role/<role>/<session>');
  if (roleName.length > IAM_NAME_MAX.role || !IAM_NAME.test(roleName))
    return reject('invalid-name', `"${roleName}" is not a valid IAM role name`);
  if (!SESSION_NAME.test(sessionName))
    return reject('invalid-name', `"${sessionName}" is not a valid role session name (2 to 64 of letters, digits, +=,.@_-)`);
  return {
    ok: true,
    entity: {
      type: 'iam-role-session',
      arn,
      requestedArn: arn,
      partition,
      accountId,
      name: `${roleName}/${sessionName}`,
      roleName,
      sessionName,
      serviceLinked: roleName.startsWith('AWSServiceRoleFor'),
    },
  };
}

// The Identity Store's user id (DescribeUser's UserId pattern, anchored): a UUID, optionally after 10 hex digits and a hyphen.
const IDENTITY_STORE_USER_ID = /^(?:[0-9a-f]{10}-)?[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/;

function parseIdentityCenterUser(
  arn: string,
  partition: Partition,
  region: string,
  owner: string,
  resource: string,
  context: ArnContext,
): ArnParseResult {
  if (region !== '' || owner !== '')
    return reject('malformed', 'an Identity Store user ARN has no region and no account: arn:<partition>:identitystore:::user/<user id>');
  const slash = resource.indexOf('/');
  const kind = slash === -1 ? resource : resource.slice(0, slash);
  if (kind !== 'user') return reject('unsupported-resource-type', `Identity Store resource type "${kind}" is not supported (only user)`);
  const userId = resource.slice(slash + 1);
  if (!IDENTITY_STORE_USER_ID.test(userId))
    return reject('invalid-name', `"${userId}" is not an Identity Store user id (a UUID, optionally after 10 hex digits and a hyphen)`);
  if (context.accountId === undefined)
    return reject(
      'account-required',
      'an Identity Store user ARN names no account: give the Identity Center account id in the AccountId attribute',
    );
  if (!ACCOUNT_ID.test(context.accountId)) return reject('invalid-account', `account id "${context.accountId}" is not 12 digits`);
  if (context.region === undefined)
    return reject(
      'region-required',
      "an Identity Store user ARN names no region: give the Identity Center instance's region in the Region attribute",
    );
  if (!REGION.test(context.region)) return reject('invalid-region', `"${context.region}" is not a valid AWS region`);
  if (!regionMatchesPartition(partition, context.region))
    return reject('partition-region-mismatch', `region ${context.region} is not in partition ${partition}`);
  return {
    ok: true,
    entity: {
      type: 'identity-center-user',
      arn,
      requestedArn: arn,
      partition,
      accountId: context.accountId,
      region: context.region,
      name: userId,
      userId,
    },
  };
}
