/**
 * The part of a CloudTrail record the sweep reads ("CloudTrail record contents",
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
 * Everything else a record carries is ignored; anything may be missing in an old or odd record.
 */
/**
 * A member of requestParameters or responseElements: free-form, per API and per API version;
 * each row of the table reads only the members it knows, and tolerates their absence.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Recorded = any;

export interface TrailRecord {
  eventID: string;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  userIdentity?: TrailIdentity;
  requestParameters?: Record<string, Recorded> | null;
  responseElements?: Record<string, Recorded> | null;
  errorCode?: string;
  readOnly?: boolean;
  recipientAccountId?: string;
}

/** "CloudTrail userIdentity element" (…/cloudtrail-event-reference-user-identity.html). */
export interface TrailIdentity {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  invokedBy?: string;
  sessionContext?: { sessionIssuer?: { type?: string; principalId?: string; arn?: string; userName?: string } };
}

/**
 * Lambda records its API version in the event name (`CreateFunction20150331`,
 * `UpdateFunctionCode20150331v2`): the operation without it.
 */
export const operationOf = (eventName: string) => eventName.replace(/\d{8}(v\d+)?$/, '');

/** Whether the record is a change that took effect (not a read, not a refused or failed call). */
export const isEffectiveChange = (record: TrailRecord) =>
  !record.errorCode && record.readOnly !== true && !/^(Get|List|Describe|Lookup)/.test(operationOf(record.eventName));
