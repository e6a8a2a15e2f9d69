import { randomUUID } from 'node:crypto';
import { AccountState, IamUserState } from './state';

/**
 * A CloudTrail management event as AWS documents it ("CloudTrail record contents for management,
 * data, and network activity events", https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html;
 * "CloudTrail userIdentity element", .../cloudtrail-event-reference-user-identity.html).
 */
export interface CloudTrailRecord {
  eventVersion: '1.09';
  userIdentity: UserIdentity;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  errorCode?: string;
  errorMessage?: string;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  eventType: 'AwsApiCall';
  managementEvent: true;
  recipientAccountId: string;
  eventCategory: 'Management';
}

export type UserIdentity =
  | { type: 'IAMUser'; principalId: string; arn: string; accountId: string; accessKeyId: string; userName: string }
  | {
      type: 'AssumedRole';
      principalId: string;
      arn: string;
      accountId: string;
      accessKeyId: string;
      sessionContext: {
        sessionIssuer: { type: 'Role'; principalId: string; arn: string; accountId: string; userName: string };
        attributes: { creationDate: string; mfaAuthenticated: 'false' };
      };
    }
  | { type: 'Root'; principalId: string; arn: string; accountId: string; accessKeyId: string }
  | { type: 'AWSService'; invokedBy: string };

/** Who made a call, as the sandbox resolved its credentials. */
export type Caller =
  | { kind: 'user'; account: AccountState; user: IamUserState; accessKeyId: string }
  | { kind: 'session'; account: AccountState; roleName: string; sessionName: string; issuedAt: Date; accessKeyId: string }
  | { kind: 'root'; account: AccountState; accessKeyId: string };

export function userIdentityOf(caller: Caller): UserIdentity {
  const { account, accessKeyId } = caller;
  if (caller.kind === 'user')
    return {
      type: 'IAMUser',
      principalId: caller.user.id,
      arn: caller.user.arn,
      accountId: account.id,
      accessKeyId,
      userName: caller.user.name,
    };
  if (caller.kind === 'session') {
    const role = account.roles.get(caller.roleName);
    const roleId = role?.id ?? 'AROAUNKNOWN';
    return {
      type: 'AssumedRole',
      principalId: `${roleId}:${caller.sessionName}`,
      arn: `arn:${account.partition}:sts::${account.id}:assumed-role/${caller.roleName}/${caller.sessionName}`,
      accountId: account.id,
      accessKeyId,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: roleId,
          arn: role?.arn ?? `arn:${account.partition}:iam::${account.id}:role/${caller.roleName}`,
          accountId: account.id,
          userName: caller.roleName,
        },
        attributes: { creationDate: caller.issuedAt.toISOString().replace(/\.\d+Z$/, 'Z'), mfaAuthenticated: 'false' },
      },
    };
  }
  return {
    type: 'Root',
    principalId: account.id,
    arn: `arn:${account.partition}:iam::${account.id}:root`,
    accountId: account.id,
    accessKeyId,
  };
}

/** The name CloudTrail records for an operation: Lambda's carry the API version they were called with. */
const VERSIONED_NAMES: Record<string, string> = {
  'lambda:CreateFunction': 'CreateFunction20150331',
  'lambda:DeleteFunction': 'DeleteFunction20150331',
  'lambda:GetFunction': 'GetFunction20150331v2',
  'lambda:GetFunctionConfiguration': 'GetFunctionConfiguration20150331v2',
  'lambda:UpdateFunctionCode': 'UpdateFunctionCode20150331v2',
  'lambda:UpdateFunctionConfiguration': 'UpdateFunctionConfiguration20150331v2',
  'lambda:AddPermission': 'AddPermission20150331v2',
  'lambda:PutFunctionConcurrency': 'PutFunctionConcurrency20171031',
  'lambda:DeleteFunctionConcurrency': 'DeleteFunctionConcurrency20171031',
  'lambda:GetFunctionConcurrency': 'GetFunctionConcurrency20190930',
  'lambda:ListTags': 'ListTags20170331',
  'lambda:TagResource': 'TagResource20170331v2',
  'lambda:UntagResource': 'UntagResource20170331v2',
  'lambda:CreateEventSourceMapping': 'CreateEventSourceMapping20150331',
  'lambda:UpdateEventSourceMapping': 'UpdateEventSourceMapping20150331',
  'lambda:ListEventSourceMappings': 'ListEventSourceMappings20150331',
};
export const eventNameOf = (service: string, operation: string) => VERSIONED_NAMES[`${service}:${operation}`] ?? operation;

/** What CloudTrail never records: secrets in requests and responses, and code. */
const REDACTED = new Set(['SecretAccessKey', 'SessionToken', 'Password', 'ZipFile', 'PrivateKey', 'UserData']);
/** EC2 names some members differently on the wire (and so in CloudTrail) than in the SDK. */
const EC2_NAMES: Record<string, string> = { Instances: 'instancesSet', SecurityGroupIds: 'groupSet', Groups: 'groupSet' };
const S3_NAMES: Record<string, string> = { Bucket: 'bucketName' };

/**
 * An SDK input or output as CloudTrail records it: members in camelCase (EC2's lists as
 * `{ items: [...] }`, as its XML protocol has them), dates in ISO 8601, secrets and code left out.
 */
export function asRecorded(service: string, value: unknown): unknown {
  // (Dates and byte arrays by their tag: values may come from another realm, e.g. structuredClone's.)
  if (Object.prototype.toString.call(value) === '[object Date]') return (value as Date).toISOString().replace(/\.\d+Z$/, 'Z');
  if (Array.isArray(value)) {
    const items = value.map((v) => asRecorded(service, v));
    return service === 'ec2' ? { items } : items;
  }
  if (ArrayBuffer.isView(value)) return undefined;
  if (value === null || typeof value !== 'object') return value;
  const renamed = service === 'ec2' ? EC2_NAMES : service === 's3' ? S3_NAMES : {};
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, v]) => !REDACTED.has(key) && !key.startsWith('$') && v !== undefined)
      .map(([key, v]) => [renamed[key] ?? key[0]!.toLowerCase() + key.slice(1), asRecorded(service, v)] as const)
      .filter(([, v]) => v !== undefined),
  );
}

const READ_ONLY = /^(Get|List|Describe|Lookup|HeadBucket)/;

export interface RecordInput {
  caller: Caller;
  service: string;
  operation: string;
  region: string;
  input: unknown;
  output?: unknown;
  error?: { code: string; message: string };
  at: Date;
  sourceIPAddress: string;
  userAgent: string;
}

/** One call as CloudTrail records it. */
export function cloudTrailRecord({
  caller,
  service,
  operation,
  region,
  input,
  output,
  error,
  at,
  sourceIPAddress,
  userAgent,
}: RecordInput): CloudTrailRecord {
  const request = asRecorded(service, input) as Record<string, unknown>;
  const response = output === undefined || error ? null : (asRecorded(service, output) as Record<string, unknown>);
  return {
    eventVersion: '1.09',
    userIdentity: userIdentityOf(caller),
    eventTime: at.toISOString().replace(/\.\d+Z$/, 'Z'),
    eventSource: `${service}.amazonaws.com`,
    eventName: eventNameOf(service, operation),
    // IAM, STS's global endpoint and Organizations record us-east-1 (global services).
    awsRegion: service === 'iam' || service === 'organizations' ? 'us-east-1' : region,
    sourceIPAddress,
    userAgent,
    requestParameters: request && Object.keys(request).length > 0 ? request : null,
    responseElements: response && Object.keys(response).length > 0 ? response : null,
    ...(error ? { errorCode: error.code, errorMessage: error.message } : {}),
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: READ_ONLY.test(operation),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: caller.account.id,
    eventCategory: 'Management',
  };
}
