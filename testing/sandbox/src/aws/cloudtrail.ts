import { awsError } from './errors';
import { ServiceHandlers } from './context';
import { CloudTrailRecord, RecordInput, cloudTrailRecord } from './cloudtrail-record';
import type { RateLimit } from './rate-limit';

/**
 * LookupEvents' own quota: 2 requests per second per account and region (CloudTrail API Reference,
 * LookupEvents: "The rate of lookup requests is limited to two per second, per account, per
 * Region. If this limit is exceeded, a throttling error occurs.").
 */
export const LOOKUP_EVENTS_LIMIT: RateLimit = {
  service: 'cloudtrail',
  operations: ['LookupEvents'],
  mutatingOnly: false,
  capacity: 2,
  refillPerSecond: 2,
  error: () => awsError('ThrottlingException', 'Rate exceeded', 400),
};

/** At most 50 events per page; event history keeps 90 days (LookupEvents, CloudTrail API Reference). */
const MAX_RESULTS = 50;
const HISTORY_MS = 90 * 24 * 3600 * 1000;
const ATTRIBUTE_KEYS = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'];

interface Stored {
  record: CloudTrailRecord;
  /** When LookupEvents starts to return it (CloudTrail delivers events minutes after the call). */
  visibleAt: number;
  /** Its place in the history: a paged query sees only what was there at its first page. */
  seq: number;
  resources: Array<{ ResourceType: string; ResourceName: string }>;
}

interface Trail {
  name: string;
  arn: string;
  region: string;
  bucket: string;
  logging: boolean;
}

/** Members of CloudTrail's recorded parameters that name a resource, with its CloudFormation type. */
const RESOURCE_MEMBERS: Array<[string, string]> = [
  ['userName', 'AWS::IAM::User'],
  ['roleName', 'AWS::IAM::Role'],
  ['accessKeyId', 'AWS::IAM::AccessKey'],
  ['policyArn', 'AWS::IAM::Policy'],
  ['functionName', 'AWS::Lambda::Function'],
  ['groupId', 'AWS::EC2::SecurityGroup'],
  ['instanceId', 'AWS::EC2::Instance'],
  ['bucketName', 'AWS::S3::Bucket'],
  ['name', 'AWS::CloudTrail::Trail'],
];

function resourcesOf(record: CloudTrailRecord): Stored['resources'] {
  const found = new Map<string, string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== 'object') return;
    for (const [key, member] of Object.entries(value)) {
      const type = RESOURCE_MEMBERS.find(([name]) => name === key)?.[1];
      if (type && typeof member === 'string' && member !== '') found.set(`${type}|${member}`, type);
      else walk(member);
    }
  };
  walk(record.requestParameters);
  walk(record.responseElements);
  return [...found].map(([key, type]) => ({ ResourceType: type, ResourceName: key.slice(type.length + 1) }));
}

function usernameOf(record: CloudTrailRecord): string | undefined {
  const identity = record.userIdentity;
  if (identity.type === 'IAMUser') return identity.userName;
  if (identity.type === 'AssumedRole') return identity.arn.split('/').pop();
  return identity.type === 'Root' ? 'root' : undefined;
}

function matches(stored: Stored, key: string, value: string): boolean {
  const { record } = stored;
  switch (key) {
    case 'EventId':
      return record.eventID === value;
    case 'EventName':
      return record.eventName === value;
    case 'ReadOnly':
      return String(record.readOnly) === value;
    case 'Username':
      return usernameOf(record) === value;
    case 'EventSource':
      return record.eventSource === value;
    case 'AccessKeyId':
      return 'accessKeyId' in record.userIdentity && record.userIdentity.accessKeyId === value;
    case 'ResourceType':
      return stored.resources.some((r) => r.ResourceType === value);
    default:
      return stored.resources.some((r) => r.ResourceName === value);
  }
}

/**
 * CloudTrail's event history in the simulated AWS: every call the sandbox serves, recorded per
 * account and region as a management event, returned by LookupEvents after `deliveryDelayMs`
 * (AWS: typically within 15 minutes of the call), newest first. Trails are kept only as far as an
 * attacker turns them off: stopping or deleting a trail does not stop event history (as in AWS).
 */
export class CloudTrail {
  /** How long after a call its event appears in LookupEvents. */
  deliveryDelayMs = 0;
  /** The source IP address CloudTrail records for a caller, by access key (default 192.0.2.10). */
  readonly sourceIps = new Map<string, string>();
  private readonly history = new Map<string, Stored[]>();
  private readonly trails = new Map<string, Trail>();
  private seq = 0;

  record(call: RecordInput): CloudTrailRecord {
    const record = cloudTrailRecord(call);
    const key = `${record.recipientAccountId}|${record.awsRegion}`;
    const stored: Stored = { record, visibleAt: call.at.getTime() + this.deliveryDelayMs, seq: ++this.seq, resources: resourcesOf(record) };
    // Appended in place (a lookup reads up to its own `seq`): copying the history on every call made the sandbox quadratic in its calls.
    const history = this.history.get(key);
    if (history) history.push(stored);
    else this.history.set(key, [stored]);
    return record;
  }

  /** Every record of an account (any region), delivered or not: for checks made independently of the sweep. */
  recordsOf(accountId: string): CloudTrailRecord[] {
    return [...this.history].filter(([key]) => key.startsWith(`${accountId}|`)).flatMap(([, events]) => events.map((e) => e.record));
  }

  handlers(now: () => Date): ServiceHandlers {
    return {
      LookupEvents: (input, { account, region }) => this.lookup(input, account.id, region, now().getTime()),
      CreateTrail: ({ Name, S3BucketName }, { account, region }) => {
        if (this.trails.has(`${account.id}|${Name}`))
          throw awsError('TrailAlreadyExistsException', `Trail ${Name} already exists for customer: ${account.id}`, 400);
        const trail = {
          name: Name,
          arn: `arn:${account.partition}:cloudtrail:${region}:${account.id}:trail/${Name}`,
          region,
          bucket: S3BucketName,
          logging: false,
        };
        this.trails.set(`${account.id}|${Name}`, trail);
        return { Name, TrailARN: trail.arn, S3BucketName };
      },
      StartLogging: ({ Name }, { account }) => {
        this.trail(account.id, Name).logging = true;
        return {};
      },
      StopLogging: ({ Name }, { account }) => {
        this.trail(account.id, Name).logging = false;
        return {};
      },
      DeleteTrail: ({ Name }, { account }) => {
        this.trails.delete(`${account.id}|${this.trail(account.id, Name).name}`);
        return {};
      },
      GetTrailStatus: ({ Name }, { account }) => ({ IsLogging: this.trail(account.id, Name).logging }),
    };
  }

  private trail(accountId: string, nameOrArn: string): Trail {
    const name = nameOrArn?.includes(':trail/') ? nameOrArn.split(':trail/')[1]! : nameOrArn;
    const trail = this.trails.get(`${accountId}|${name}`);
    if (!trail) throw awsError('TrailNotFoundException', `Unknown trail: ${nameOrArn} for the user: ${accountId}`, 400);
    return trail;
  }

  private lookup(input: any, accountId: string, region: string, now: number) {
    const attributes: Array<{ AttributeKey: string; AttributeValue: string }> = input.LookupAttributes ?? [];
    if (attributes.length > 1) throw awsError('InvalidLookupAttributesException', 'You can only specify one lookup attribute.', 400);
    const [attribute] = attributes;
    if (attribute && !ATTRIBUTE_KEYS.includes(attribute.AttributeKey))
      throw awsError('InvalidLookupAttributesException', `Invalid attribute key: ${attribute.AttributeKey}`, 400);
    const maxResults = input.MaxResults ?? MAX_RESULTS;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS)
      throw awsError('InvalidMaxResultsException', 'Value for MaxResults must be between 1 and 50.', 400);
    // A token is valid only for the query that issued it; its pages are of the history as the first page saw it.
    const query = JSON.stringify([attribute ?? null, input.StartTime ?? null, input.EndTime ?? null, maxResults]);
    let page0 = {
      start: input.StartTime ? new Date(input.StartTime).getTime() : now - HISTORY_MS,
      end: input.EndTime ? new Date(input.EndTime).getTime() : now,
      asOf: now,
      lastSeq: this.seq,
      offset: 0,
    };
    if (input.NextToken) {
      const decoded = decodeToken(input.NextToken);
      if (!decoded || decoded.query !== query) throw awsError('InvalidNextTokenException', 'Invalid NextToken.', 400);
      page0 = decoded;
    }
    const { start, end, asOf, lastSeq, offset } = page0;
    if (start > end) throw awsError('InvalidTimeRangeException', 'Start time must be before end time.', 400);
    const matching = (this.history.get(`${accountId}|${region}`) ?? [])
      .filter((s) => s.visibleAt <= asOf && s.seq <= lastSeq)
      .filter((s) => {
        const time = Date.parse(s.record.eventTime);
        // eventTime has whole seconds: an event of the start's second is in.
        return time >= Math.floor(start / 1000) * 1000 && time <= end;
      })
      .filter((s) => !attribute || matches(s, attribute.AttributeKey, attribute.AttributeValue))
      .reverse();
    const page = matching.slice(offset, offset + maxResults);
    const next = offset + maxResults < matching.length ? offset + maxResults : undefined;
    return {
      Events: page.map(({ record, resources }) => ({
        EventId: record.eventID,
        EventName: record.eventName,
        ReadOnly: String(record.readOnly),
        ...('accessKeyId' in record.userIdentity ? { AccessKeyId: record.userIdentity.accessKeyId } : {}),
        EventTime: new Date(record.eventTime),
        EventSource: record.eventSource,
        ...(usernameOf(record) ? { Username: usernameOf(record) } : {}),
        Resources: resources,
        CloudTrailEvent: JSON.stringify(record),
      })),
      ...(next !== undefined
        ? { NextToken: Buffer.from(JSON.stringify({ query, start, end, asOf, lastSeq, offset: next })).toString('base64') }
        : {}),
    };
  }
}

function decodeToken(
  token: string,
): { query: string; start: number; end: number; asOf: number; lastSeq: number; offset: number } | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    return typeof parsed?.query === 'string' &&
      [parsed.offset, parsed.start, parsed.end, parsed.asOf, parsed.lastSeq].every(Number.isInteger)
      ? parsed
      : undefined;
  } catch {
    return undefined;
  }
}
