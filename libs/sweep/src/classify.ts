import { Category, Entity, PERSISTENCE_TABLE, Row } from './persistence-table';
import { TrailRecord, isEffectiveChange, operationOf } from './trail-record';

export interface Classification {
  category: Category;
  /** The row's reason, with what made it apply (e.g. the outside account a trust names). */
  reason: string;
  entities: Entity[];
}

const ROWS = new Map<string, Row[]>();
for (const row of PERSISTENCE_TABLE) ROWS.set(row.event, [...(ROWS.get(row.event) ?? []), row]);

/**
 * What a CloudTrail record left behind, by the table; undefined when it is set aside: a read, a
 * refused or failed call (errorCode), an event with no row, or one whose row's condition does not
 * hold (an ingress from a private range, a trust within the account).
 */
export function classify(record: TrailRecord): Classification | undefined {
  if (!isEffectiveChange(record)) return undefined;
  for (const row of ROWS.get(operationOf(record.eventName)) ?? []) {
    const detail = row.when ? row.when(record) : '';
    if (detail === undefined) continue;
    return { category: row.category, reason: detail ? `${row.reason}: ${detail}` : row.reason, entities: row.entities(record) };
  }
  return undefined;
}
