import { boolean, enum as zEnum, literal, maxLength, minLength, object, optional, strictObject, string, trim } from 'zod/mini';
import type { z } from 'zod/mini';
import { FindingRefSchema } from './finding';
import { FirstSeenSchema } from './first-seen';

export const ACTIONS = ['contain', 'release'] as const;
export type Action = (typeof ACTIONS)[number];

/** SNS's maximum message size; a larger body is rejected before it is parsed. */
export const MAX_BODY_BYTES = 256 * 1024;

const stringAttribute = <T extends z.ZodMiniType<string>>(name: string, value: T) =>
  object(
    {
      Type: literal('String', { error: `attribute ${name} must have DataType String` }),
      Value: value,
    },
    { error: `attribute ${name} is missing` },
  );

const nonEmpty = (name: string) =>
  string({ error: `attribute ${name} has no value` }).check(minLength(1, { error: `attribute ${name} is empty` }));

/** Message attributes of an ingress SNS record, as Lambda receives them. Unknown attributes are refused. */
export const IngressAttributesSchema = strictObject({
  Arn: stringAttribute('Arn', nonEmpty('Arn')),
  ExternalId: stringAttribute('ExternalId', nonEmpty('ExternalId')),
  /** The owner account of an S3 bucket, the Identity Center account of an Identity Center user (their ARNs name none). */
  AccountId: optional(stringAttribute('AccountId', nonEmpty('AccountId'))),
  /** The home region of an Identity Center user's instance (its ARN names none). */
  Region: optional(stringAttribute('Region', nonEmpty('Region'))),
  Action: optional(stringAttribute('Action', zEnum(ACTIONS, { error: `attribute Action must be one of: ${ACTIONS.join(', ')}` }))),
});

const text = (max: number) => optional(string().check(trim(), minLength(1), maxLength(max)));

/** The optional JSON body of an ingress request. */
export const IngressBodySchema = strictObject({
  reason: text(1024),
  ticket: text(128),
  requestedBy: text(256),
  dryRun: optional(boolean()),
  /** The Security Hub finding this request answers (set by lockdown's triggers): outcomes are written back to it. */
  finding: optional(FindingRefSchema),
  /** When the compromise was first seen (a finding's first-seen time, `lockdown contain --since`): the sweep reads from there. */
  firstSeenAt: optional(FirstSeenSchema),
});
export type IngressBody = z.infer<typeof IngressBodySchema>;
