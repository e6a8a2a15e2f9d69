import { array, boolean, enum as zEnum, gte, int, iso, literal, maxLength, minLength, object, optional, string } from 'zod/mini';
import type { z } from 'zod/mini';
import { EntityRefSchema } from './entity';
import { FindingRefSchema } from './finding';
import { MAX_SWEPT_ACCOUNTS, MAX_SWEPT_REGIONS, RegionProgressSchema } from './sweep-progress';
import { AUTHORITY_NAMES } from './authority';
import { ACTIONS } from './ingress';
import type { EntityOf, ServiceName } from './routing';

/** The tamper watch's default schedule: seconds after containment (configurable: `watchSchedule`). */
export const DEFAULT_WATCH_SCHEDULE: readonly number[] = [5, 30, 120, 600, 1800];

/** What a service receives from the dispatch topic (raw delivery) or, for follow-ups, from itself. */
export const DispatchMessageSchema = object({
  version: literal(1),
  requestId: string().check(minLength(1), maxLength(128)),
  entity: EntityRefSchema,
  action: zEnum(ACTIONS),
  reason: optional(string()),
  ticket: optional(string()),
  requestedBy: optional(string()),
  finding: optional(FindingRefSchema),
  /** When the compromise was first seen (UTC; the intake refused one after the request): the persistence sweep reads from there. */
  firstSeenAt: optional(iso.datetime()),
  requestedAt: iso.datetime(),
  dryRun: boolean(),
  /** The topic the intake received the request through (its authority, set by SNS). */
  authority: optional(zEnum(AUTHORITY_NAMES)),
  /** Set on a service's own delayed follow-up message (EC2 isolation, phase 2). */
  phase: optional(int().check(gte(1))),
  /** Set on a request the service sent back to itself because an account's API budget was spent: how many times (its backoff grows with it). */
  throttled: optional(int().check(gte(1))),
  /**
   * Set on a tamper-watch message (the service's own, delayed): the tick of the watch schedule,
   * when the containment it watches finished (`since`), and when this tick is due (a wait longer
   * than SQS's 15-minute delay is chained: a message that arrives early is sent again), and the
   * CloudTrail event ids the persistence sweep already reported (a later tick reports only what is new).
   */
  watch: optional(
    object({
      tick: int().check(gte(1)),
      since: iso.datetime(),
      dueAt: iso.datetime(),
      swept: optional(array(string().check(maxLength(128)))),
      /** How far the sweep has read each region's event history (the next tick reads on from there). */
      sweepProgress: optional(array(RegionProgressSchema).check(maxLength(MAX_SWEPT_REGIONS * MAX_SWEPT_ACCOUNTS))),
    }),
  ),
});
export type DispatchMessage = z.infer<typeof DispatchMessageSchema>;
/** A dispatch message whose entity the routing table gives to this service (the SQS handler checks it once). */
export type ServiceMessage<S extends ServiceName> = DispatchMessage & { entity: EntityOf<S> };

/**
 * The tenant of a request in its service's queue: its account. The dispatch publish sets it as the
 * `MessageGroupId`, which SNS forwards to standard SQS subscriptions to make them fair queues
 * (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html, MessageGroupId), so one flooded
 * account never delays another's requests.
 */
export const messageGroupOf = (message: Pick<DispatchMessage, 'entity'>): string => message.entity.accountId;
