import { classify } from './classify';
import { Category, Entity } from './persistence-table';
import { SweptIdentity, belongsTo } from './swept-identity';
import { TrailRecord } from './trail-record';

/** One thing the identity left, with its evidence: the CloudTrail event that made it. */
export interface SweepFinding {
  eventId: string;
  eventTime: string;
  eventName: string;
  region: string;
  sourceIp: string;
  category: Category;
  reason: string;
  entities: Entity[];
}

/**
 * What the identity left, from records of any origin: each record of the identity's that the
 * table classifies, once per event id, oldest first.
 */
export function findingsOf(records: TrailRecord[], identity: SweptIdentity): SweepFinding[] {
  const byId = new Map<string, SweepFinding>();
  for (const record of records) {
    if (byId.has(record.eventID) || !belongsTo(record, identity)) continue;
    const classified = classify(record);
    if (!classified) continue;
    byId.set(record.eventID, {
      eventId: record.eventID,
      eventTime: record.eventTime,
      eventName: record.eventName,
      region: record.awsRegion ?? 'unknown',
      sourceIp: record.sourceIPAddress ?? 'unknown',
      ...classified,
    });
  }
  return [...byId.values()].sort((a, b) => a.eventTime.localeCompare(b.eventTime));
}

/** The findings not reported before (CloudTrail delivers late: a later sweep reports only what is new). */
export const newFindings = (findings: SweepFinding[], reported: ReadonlySet<string>) => findings.filter((f) => !reported.has(f.eventId));
