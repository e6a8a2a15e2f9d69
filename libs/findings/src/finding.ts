import type { FindingRef } from '@lockdown/contracts';
import type { FindingEntities } from './entities-of-finding';
import { GuardDutyFinding, guardDutyEntities, guardDutyRef } from './guardduty';
import { OCSF_PRODUCTS, OcsfFinding, OcsfProduct, ocsfEntities, ocsfInactive, ocsfRef, ocsfSeverity, ocsfType } from './ocsf';
import { AsffFinding, asffEntities, asffRef } from './security-hub';
import { firstSeenOf } from './first-seen';

/**
 * A finding as the triggers act on it, whatever format it came in: one mapping per format
 * (GuardDuty's own, ASFF from Security Hub CSPM, OCSF from the new Security Hub) produces it.
 */
export interface Finding {
  /** Who reported it, in which format: `GuardDuty`, `Security Hub (ASFF)`, `GuardDuty (OCSF)`. */
  source: string;
  /** Where lockdown's notes and outcomes are written back. */
  ref: FindingRef;
  /** The id a responder knows it by (the request's ticket). */
  id: string;
  /** The type a policy rule matches (GuardDuty's finding type; for Security Hub CSPM the control). */
  type: string;
  /** On GuardDuty's scale, 0 to 10. */
  severity: number;
  title?: string;
  /** When the finding first saw the activity (UTC): the request carries it, and the sweep reads CloudTrail from there. */
  firstSeenAt?: string;
  /** Why nobody should act on it any more (archived, suppressed, resolved), if so. */
  inactive?: string;
  entities: FindingEntities;
}

const withFirstSeen = (value: unknown) => {
  const firstSeenAt = firstSeenOf(value);
  return firstSeenAt ? { firstSeenAt } : {};
};

export const readGuardDuty = (finding: GuardDutyFinding): Finding => ({
  source: 'GuardDuty',
  ref: guardDutyRef(finding),
  id: finding.id,
  type: finding.type,
  severity: finding.severity,
  ...(finding.title ? { title: finding.title } : {}),
  ...withFirstSeen(finding.service?.eventFirstSeen),
  ...(finding.service?.archived ? { inactive: 'archived (or suppressed)' } : {}),
  entities: guardDutyEntities(finding),
});

/** An ASFF finding a responder chose (a custom action): no policy reads its type or severity. */
export const readAsff = (finding: AsffFinding): Finding => ({
  source: 'Security Hub (ASFF)',
  ref: asffRef(finding),
  id: finding.Id,
  type: '',
  severity: 0,
  ...(finding.Title ? { title: finding.Title } : {}),
  ...withFirstSeen(finding.FirstObservedAt),
  entities: asffEntities(finding),
});

export function readOcsf(finding: OcsfFinding, product: OcsfProduct): Finding {
  const inactive = ocsfInactive(finding);
  return {
    source: `${OCSF_PRODUCTS[product]} (OCSF)`,
    ref: ocsfRef(finding),
    id: finding.finding_info.uid,
    type: ocsfType(finding),
    severity: ocsfSeverity(finding),
    ...(finding.finding_info.title ? { title: finding.finding_info.title } : {}),
    ...withFirstSeen(finding.finding_info.first_seen_time_dt ?? finding.finding_info.first_seen_time),
    ...(inactive ? { inactive } : {}),
    entities: ocsfEntities(finding),
  };
}
