import {
  boolean,
  discriminatedUnion,
  enum as zEnum,
  gte,
  int,
  iso,
  literal,
  maxLength,
  minLength,
  object,
  optional,
  regex,
  startsWith,
  string,
} from 'zod/mini';
import type { z } from 'zod/mini';
import { PARTITIONS } from './entity';
import { ACTIONS } from './ingress';

const nonEmpty = () => string().check(minLength(1));

const base = {
  arn: nonEmpty(),
  requestedArn: nonEmpty(),
  partition: zEnum(PARTITIONS),
  accountId: string().check(regex(/^\d{12}$/)),
  name: nonEmpty(),
};

export const EntityRefSchema = discriminatedUnion('type', [
  object({ type: literal('iam-user'), ...base, path: string().check(startsWith('/')) }),
  object({ type: literal('iam-role'), ...base, path: string().check(startsWith('/')), serviceLinked: boolean() }),
  object({ type: literal('lambda-function'), ...base, region: nonEmpty(), qualifier: optional(string()) }),
  object({ type: literal('ec2-instance'), ...base, region: nonEmpty(), instanceId: nonEmpty() }),
]);

/** What a service receives from the dispatch topic (raw delivery) or, for follow-ups, from itself. */
export const DispatchMessageSchema = object({
  version: literal(1),
  requestId: string().check(minLength(1), maxLength(128)),
  entity: EntityRefSchema,
  action: zEnum(ACTIONS),
  reason: optional(string()),
  ticket: optional(string()),
  requestedBy: optional(string()),
  requestedAt: iso.datetime(),
  dryRun: boolean(),
  /** Set on a service's own delayed follow-up message (EC2 isolation, phase 2). */
  phase: optional(int().check(gte(1))),
});
export type DispatchMessage = z.infer<typeof DispatchMessageSchema>;
