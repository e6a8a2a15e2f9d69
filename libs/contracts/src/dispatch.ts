import { boolean, enum as zEnum, gte, int, iso, literal, maxLength, minLength, object, optional, string } from 'zod/mini';
import type { z } from 'zod/mini';
import { EntityRefSchema } from './entity';
import { ACTIONS } from './ingress';

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
