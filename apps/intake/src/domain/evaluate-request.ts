import type { SNSEventRecord } from 'aws-lambda';
import type { z } from 'zod/mini';
import {
  AUTHORITIES,
  Action,
  Authority,
  AUTHORITY_NAMES,
  DispatchMessage,
  EntityRef,
  IngressAttributesSchema,
  IngressBody,
  IngressBodySchema,
  MAX_BODY_BYTES,
  authorityFor,
  outOfScope,
  parseEntityArn,
  type RequestScope,
  type ScopeRefusal,
  formatIssues,
  firstSeenInFuture,
} from '@lockdown/contracts';
import { externalIdMatches } from './external-id';

export interface IntakePolicy extends RequestScope {
  expectedExternalId: string;
  /** The ARN of each authority's topic: a record's TopicArn (set by SNS) says which one it came through. */
  topics: Record<Authority, string>;
}

export type RejectionCode =
  | 'unauthenticated'
  | 'invalid-attributes'
  | 'invalid-body'
  | 'body-too-large'
  | 'invalid-arn'
  | ScopeRefusal['code']
  | 'duplicate-record'
  | 'unknown-topic'
  | 'release-on-ingress-topic'
  | 'contain-on-release-topic';

export interface Rejection {
  accepted: false;
  requestId: string;
  code: RejectionCode;
  reason: string;
  /** The ARN as received (truncated), when there was one. */
  target?: string;
  entity?: EntityRef;
  action?: Action;
  body?: IngressBody;
  requestedAt?: string;
  /** The topic it came through, when lockdown knows it. */
  authority?: Authority;
}

export interface Acceptance {
  accepted: true;
  message: DispatchMessage;
}

export type Decision = Acceptance | Rejection;

const MAX_TARGET_IN_AUDIT = 300;

const firstIssue = (error: z.core.$ZodError, subject: string): string => `${subject}: ${formatIssues(error, { limit: 1 })}`;

/**
 * Decides what to do with one ingress record. Pure: it makes no AWS call, so a rejection can
 * never have changed anything. Order matters: authenticate before telling the caller anything
 * about the rest of its request.
 */
export function evaluateRequest(record: SNSEventRecord, policy: IntakePolicy): Decision {
  const sns = record.Sns;
  const requestId = sns.MessageId;
  const rawArn = sns.MessageAttributes?.['Arn']?.Value;
  const target = typeof rawArn === 'string' ? rawArn.slice(0, MAX_TARGET_IN_AUDIT) : undefined;
  // SNS sets TopicArn: the one thing about a record its publisher cannot choose.
  const authority = AUTHORITY_NAMES.find((name) => sns.TopicArn !== undefined && sns.TopicArn === policy.topics[name]);
  const reject = (code: RejectionCode, reason: string, extra: Partial<Rejection> = {}): Rejection => ({
    accepted: false,
    requestId,
    code,
    reason,
    requestedAt: sns.Timestamp,
    ...(target !== undefined ? { target } : {}),
    ...(authority ? { authority } : {}),
    ...extra,
  });

  if (!authority)
    return reject(
      'unknown-topic',
      `the request arrived from ${sns.TopicArn || 'no topic'}, which is neither lockdown's ingress topic nor its release topic`,
    );

  const message = sns.Message ?? '';
  if (Buffer.byteLength(message, 'utf8') > MAX_BODY_BYTES)
    return reject('body-too-large', `the message body is larger than ${MAX_BODY_BYTES} bytes`);

  const presented = sns.MessageAttributes?.['ExternalId'];
  if (!presented || presented.Type !== 'String' || typeof presented.Value !== 'string' || presented.Value === '')
    return reject('unauthenticated', 'the ExternalId attribute (String) is missing or empty');
  if (!externalIdMatches(presented.Value, policy.expectedExternalId)) return reject('unauthenticated', 'the ExternalId does not match');

  const attributes = IngressAttributesSchema.safeParse(sns.MessageAttributes);
  if (!attributes.success) return reject('invalid-attributes', firstIssue(attributes.error, 'message attributes'));
  const action: Action = attributes.data.Action?.Value ?? 'contain';

  const body = parseBody(message);
  if (!body.ok) return reject('invalid-body', body.reason, { action });

  const parsed = parseEntityArn(attributes.data.Arn.Value, {
    accountId: attributes.data.AccountId?.Value,
    region: attributes.data.Region?.Value,
  });
  if (!parsed.ok) return reject('invalid-arn', `invalid ARN (${parsed.error.code}): ${parsed.error.message}`, { action, body: body.value });
  const entity = parsed.entity;
  const context = { action, body: body.value, entity };

  // Release is its own authority: whoever may contain may not free, unless AWS lets it publish to the release topic too.
  if (authorityFor(action) !== authority) return reject(...wrongTopic(action), context);

  const refusal = outOfScope(entity, policy);
  if (refusal) return reject(refusal.code, refusal.reason, context);

  const requestedAt = isoTime(sns.Timestamp);
  const future = body.value.firstSeenAt && firstSeenInFuture(body.value.firstSeenAt, requestedAt);
  if (future) return reject('invalid-body', `message body: ${future}`, context);

  return {
    accepted: true,
    message: {
      version: 1,
      requestId,
      entity,
      action,
      requestedAt,
      dryRun: body.value.dryRun ?? false,
      authority,
      ...(body.value.reason ? { reason: body.value.reason } : {}),
      ...(body.value.ticket ? { ticket: body.value.ticket } : {}),
      ...(body.value.requestedBy ? { requestedBy: body.value.requestedBy } : {}),
      ...(body.value.finding ? { finding: body.value.finding } : {}),
      ...(body.value.firstSeenAt ? { firstSeenAt: new Date(body.value.firstSeenAt).toISOString() } : {}),
    },
  };
}

const wrongTopic = (action: Action): [RejectionCode, string] =>
  action === 'release'
    ? [
        'release-on-ingress-topic',
        `release requests go to the release topic (${AUTHORITIES.release.topicName}), which only the allowed releasers may publish to; ${AUTHORITIES.ingress.label} takes containment requests only, so nothing was released`,
      ]
    : [
        'contain-on-release-topic',
        `${AUTHORITIES.release.label} takes release requests only (attribute Action=release); containment requests go to ${AUTHORITIES.ingress.label} (${AUTHORITIES.ingress.topicName})`,
      ];

type BodyResult = { ok: true; value: IngressBody } | { ok: false; reason: string };

/**
 * The body is optional JSON. Publishers of the original solution sent free text (the AWS CLI
 * requires a message), so a body that is not a JSON object is kept as the reason; a body that
 * starts like a JSON object must be a valid one.
 */
function parseBody(message: string): BodyResult {
  const trimmed = message.trim();
  if (trimmed === '') return { ok: true, value: {} };
  if (!trimmed.startsWith('{')) {
    const reason = IngressBodySchema.shape.reason.safeParse(trimmed);
    return reason.success ? { ok: true, value: { reason: reason.data } } : { ok: false, reason: firstIssue(reason.error, 'reason') };
  }
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return { ok: false, reason: 'the message body starts with "{" but is not valid JSON' };
  }
  const body = IngressBodySchema.safeParse(json);
  return body.success ? { ok: true, value: body.data } : { ok: false, reason: firstIssue(body.error, 'message body') };
}

const isoTime = (timestamp: string | undefined): string => {
  const time = timestamp ? Date.parse(timestamp) : Number.NaN;
  return new Date(Number.isNaN(time) ? Date.now() : time).toISOString();
};
