import type { AuditEvent, EntityRef } from '@lockdown/contracts';
import { CUSTOM_ACTIONS } from '@lockdown/findings';

const names = (entities: EntityRef[]) => entities.map((e) => `${e.type} ${e.name}`).join(', ');

/** The note on a finding whose entities lockdown was asked to contain or release. */
export const requestedNote = (action: 'contain' | 'release', requests: Array<{ entity: EntityRef; requestId: string }>, why: string) =>
  `lockdown: ${action} requested (${why}) for ${requests.map((r) => `${r.entity.type} ${r.entity.name} (request ${r.requestId})`).join(', ')}. The outcome will be noted here.`;

/** The note on a finding the policy only suggests acting on. */
export const suggestedNote = (entities: EntityRef[], why: string) =>
  `lockdown suggests containing ${names(entities)} (${why}); nothing was changed. To contain: the custom action "${CUSTOM_ACTIONS.contain.name}" on this finding, or lockdown contain ${entities.map((e) => e.requestedArn).join(' ')}`;

/** The note on a finding lockdown cannot act on. */
export const unsupportedNote = (reasons: string[]) => `lockdown: nothing to act on in this finding: ${reasons.join('; ')}`;

/** The note of an outcome of a request that came from a finding. */
export const outcomeNote = (event: AuditEvent) =>
  `lockdown ${event.kind.toUpperCase()}: ${event.entity ? `${event.entity.type} ${event.entity.name}` : (event.target ?? 'request')}: ${event.detail} (request ${event.requestId})`;
