import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditEvent } from './audit-event';
import { OUTCOME_EVENT_SOURCE, outcomeDetailType, outcomeEventJsonSchema } from './outcome-event';

const SCHEMA_FILE = join(__dirname, '..', 'schemas', 'outcome-event.schema.json');
const committed = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));

/** An event as EventBridge delivers it to a rule's target. */
const delivered = (detail: AuditEvent) => ({
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': outcomeDetailType(detail.kind),
  source: OUTCOME_EVENT_SOURCE,
  account: '999999999999',
  time: '2026-11-26T04:00:02Z',
  region: 'us-east-1',
  resources: detail.entity ? [detail.entity.arn] : [],
  detail,
});

const failed: AuditEvent = {
  kind: 'failed',
  requestId: 'req-1',
  source: 'ec2-isolation',
  action: 'contain',
  at: '2026-11-26T04:00:02.000Z',
  entity: {
    type: 'ec2-instance',
    arn: 'arn:aws:ec2:eu-west-1:111111111111:instance/i-0123456789abcdef0',
    accountId: '111111111111',
    region: 'eu-west-1',
    name: 'i-0123456789abcdef0',
  },
  request: { reason: 'crypto mining', requestedBy: 'soc', requestedAt: '2026-11-26T04:00:00.000Z', dryRun: false },
  detail: 'apply of step "isolate" failed: RequestLimitExceeded (attempt 5 of 5; moved to the dead-letter queue)',
  code: 'throttled',
};

describe('the outcome event schema (libs/contracts/schemas/outcome-event.schema.json)', () => {
  it('is the one the code defines (`npm run schema` regenerates the file when the audit record changes)', () => {
    expect(committed).toEqual(JSON.parse(JSON.stringify(outcomeEventJsonSchema())));
  });

  // Checked by an independent JSON Schema validator (Ajv, draft 2020-12).
  const validate = addFormats(new Ajv2020({ strict: false })).compile(committed);

  it.each<[string, AuditEvent]>([
    ['a FAILED outcome', failed],
    [
      'a TAMPERED outcome',
      {
        ...failed,
        kind: 'tampered',
        code: undefined,
        detail: 'tampering undone: ...',
        steps: [{ id: 'deny', description: 'Put inline policy', outcome: 'reapplied' }],
      },
    ],
    [
      'a REJECTED request whose ARN could not be parsed',
      {
        kind: 'rejected',
        requestId: 'm-1',
        source: 'intake',
        at: failed.at,
        target: 'arn:aws:s3:::',
        detail: 'invalid ARN',
        code: 'invalid-arn',
      },
    ],
  ])('accepts %s as EventBridge delivers it', (_case, detail) => {
    const event = JSON.parse(JSON.stringify(delivered(detail)));
    expect(validate(event) ? [] : validate.errors).toEqual([]);
  });

  it('refuses an event from another source, a kind it does not know, and a detail without its request id', () => {
    expect(validate({ ...delivered(failed), source: 'aws.guardduty' })).toBe(false);
    expect(validate({ ...delivered(failed), 'detail-type': 'Lockdown Exploded' })).toBe(false);
    const { requestId: _, ...withoutId } = failed;
    expect(validate({ ...delivered(failed), detail: withoutId })).toBe(false);
  });

  it('checks the date-time formats (ajv-formats): a time that is not RFC 3339 is refused', () => {
    const every = addFormats(new Ajv2020({ strict: false, allErrors: true })).compile(committed);
    expect(every(delivered({ ...failed, at: 'yesterday' }))).toBe(false);
    expect(every.errors).toContainEqual(expect.objectContaining({ keyword: 'format', params: { format: 'date-time' } }));
  });
});
