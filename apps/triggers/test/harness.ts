import type { AuditEvent, EntityRef } from '@lockdown/contracts';
import type { PublishResult, RequestOptions } from '@lockdown/publishing';
import { OcsfProduct, TriggerPolicySchema } from '@lockdown/findings';
import type { FindingNote } from '../src/adapters/finding-notes';
import { Triggers } from '../src/triggers';

/** Triggers with recording fakes of its ports: what it published, noted and audited. */
export function setup(
  options: { refuse?: boolean; policy?: unknown; releaseAction?: boolean; notesFail?: boolean; ocsfProducts?: OcsfProduct[] } = {},
) {
  const published: Array<{ arns: string[]; options: RequestOptions }> = [];
  const notes: FindingNote[] = [];
  const audits: AuditEvent[] = [];
  let n = 0;
  const triggers = new Triggers({
    policy: TriggerPolicySchema.parse(options.policy ?? {}),
    releaseAction: options.releaseAction ?? true,
    ocsfProducts: options.ocsfProducts ?? ['guardduty', 'securityhub'],
    publish: async (entities: EntityRef[], o: RequestOptions): Promise<PublishResult[]> => {
      published.push({ arns: entities.map((e) => e.arn), options: o });
      return entities.map((e) =>
        options.refuse ? { arn: e.arn, error: 'KMS.Throttling: slow down' } : { arn: e.arn, messageId: `msg-${++n}` },
      );
    },
    notes: {
      write: async (note) => {
        if (options.notesFail) throw new Error('AccessDeniedException: Security Hub is not enabled in this region');
        return (notes.push(note), []);
      },
    },
    audit: { record: async (e) => void audits.push(e) },
    logger: { info: () => undefined, warn: () => undefined },
  });
  return { triggers, published, notes, audits };
}
