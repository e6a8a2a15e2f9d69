import { looseObject, optional, string, unknown as zUnknown } from 'zod/mini';
import { formatIssues } from '@lockdown/contracts';

/** An EventBridge event as a rule's target receives it (the envelope; `detail` is read by each route). */
export interface BusEvent {
  id: string;
  source: string;
  'detail-type': string;
  resources?: string[];
  region?: string;
  detail: unknown;
}

const EnvelopeSchema = looseObject({
  id: optional(string()),
  source: string(),
  'detail-type': string(),
  resources: optional(zUnknown()),
  region: optional(string()),
  detail: optional(zUnknown()),
});

/** The request id of an event's audit records when it names none. */
export const UNIDENTIFIED_EVENT = 'unidentified-event';

export type Envelope = { ok: true; event: BusEvent } | { ok: false; id: string; reason: string };

/** Reads the envelope of whatever the function received; anything else is said precisely. */
export function parseEnvelope(raw: unknown): Envelope {
  const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : '';
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return {
      ok: false,
      id: id || UNIDENTIFIED_EVENT,
      reason: `not an EventBridge event: ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : `a ${typeof raw}`}`,
    };
  const parsed = EnvelopeSchema.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      id: id || UNIDENTIFIED_EVENT,
      reason: `not an EventBridge event: ${formatIssues(parsed.error)}`,
    };
  const { resources, ...rest } = parsed.data;
  const names = Array.isArray(resources) && resources.every((r) => typeof r === 'string') ? (resources as string[]) : undefined;
  return { ok: true, event: { ...rest, id: rest.id || UNIDENTIFIED_EVENT, ...(names ? { resources: names } : {}), detail: rest.detail } };
}
