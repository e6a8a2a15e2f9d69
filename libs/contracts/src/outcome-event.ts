import { enum as zEnum, literal, object, optional, string, toJSONSchema, array } from 'zod/mini';
import { AUDIT_KINDS, AuditEvent, AuditEventSchema, auditMetricName } from './audit-event';

/** The `source` of every event lockdown puts on its EventBridge bus. */
export const OUTCOME_EVENT_SOURCE = 'lockdown';
/** The EventBridge bus lockdown's outcomes go to (created by the core stack). */
export const OUTCOME_EVENT_BUS = 'lockdown';

/** One detail-type per audit kind, e.g. `Lockdown Contained`, `Lockdown Failed`, `Lockdown Tampered`. */
export const outcomeDetailType = (kind: AuditEvent['kind']) => `Lockdown ${auditMetricName(kind)}`;

/**
 * An outcome event as subscribers receive it: EventBridge's envelope, with the audit record as
 * `detail`. Documented as a JSON schema (libs/contracts/schemas/outcome-event.schema.json, kept equal
 * to this definition by a test) for chat, SOAR and ticketing rules.
 */
export const OutcomeEventSchema = object({
  version: optional(string()),
  id: optional(string()),
  'detail-type': zEnum(AUDIT_KINDS.map(outcomeDetailType) as [string, ...string[]]),
  source: literal(OUTCOME_EVENT_SOURCE),
  account: optional(string()),
  time: optional(string()),
  region: optional(string()),
  resources: optional(array(string())),
  detail: AuditEventSchema,
});

/** The JSON schema of an outcome event. */
export const outcomeEventJsonSchema = () => ({
  ...toJSONSchema(OutcomeEventSchema, { target: 'draft-2020-12' }),
  title: 'lockdown outcome event',
  description:
    "An audit outcome of lockdown (received, rejected, planned, containing, contained, released, noop, failed, tampered, suggested, ignored) on the 'lockdown' EventBridge bus: source 'lockdown', detail-type 'Lockdown <Kind>', detail the audit record.",
});
