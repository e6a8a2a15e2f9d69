import { AuditEvent } from './audit-event';
import { MAX_SUBJECT_LENGTH, releaseInstructions, renderAuditEmail } from './audit-email';

const contained: AuditEvent = {
  kind: 'contained',
  requestId: 'req-1',
  source: 'iam-lockdown',
  action: 'contain',
  at: '2026-11-26T04:00:00.000Z',
  entity: { type: 'iam-user', arn: 'arn:aws:iam::123456789012:user/alice', accountId: '123456789012', name: 'alice' },
  request: { reason: 'keys on pastebin', ticket: 'SEC-42', requestedBy: 'soc@example.com', requestedAt: '2026-11-26T03:59:58.000Z' },
  detail: 'iam-user alice is contained and verified',
  steps: [{ id: 'deny-all', description: 'Attach AWSDenyAll', outcome: 'applied', at: '2026-11-26T04:00:00.000Z' }],
  release: 'lockdown release arn:aws:iam::123456789012:user/alice',
};

describe('audit email', () => {
  it('has a subject naming the outcome, entity and account', () => {
    expect(renderAuditEmail(contained).subject).toBe('[lockdown] CONTAINED iam-user alice in 123456789012');
  });

  it('says what, where, who asked, why, when, the steps and how to release', () => {
    const { body } = renderAuditEmail(contained);
    expect(body).toContain('ARN:         arn:aws:iam::123456789012:user/alice');
    expect(body).toContain('Who asked:   soc@example.com');
    expect(body).toContain('Why:         keys on pastebin (ticket SEC-42)');
    expect(body).toContain('1. [applied] Attach AWSDenyAll');
    expect(body).toContain('To release:');
  });

  it('lists what the attacker left on a SWEPT email, each finding with its CloudTrail event', () => {
    const swept: AuditEvent = {
      ...contained,
      kind: 'swept',
      detail: 'the sweep of iam-user alice found 1 new finding',
      steps: [],
      sweep: {
        from: '2026-11-25T04:00:00.000Z',
        to: '2026-11-26T04:00:00.000Z',
        regions: ['us-east-1'],
        pages: 1,
        findings: [
          {
            eventId: '3e5a1b8c-0000-4000-8000-000000000001',
            eventTime: '2026-11-26T03:50:00Z',
            eventName: 'CreateUser',
            region: 'us-east-1',
            sourceIp: '203.0.113.7',
            category: 'new-principal',
            reason: 'a new IAM user',
            entities: ['iam-user backdoor'],
            action: 'contained',
          },
        ],
      },
    };

    const { subject, body } = renderAuditEmail(swept);

    expect(subject).toBe('[lockdown] SWEPT iam-user alice in 123456789012');
    expect(body).toContain(
      'What the attacker left (CloudTrail 2026-11-25T04:00:00.000Z to 2026-11-26T04:00:00.000Z, us-east-1; 1 LookupEvents pages):',
    );
    expect(body).toContain('1. [new-principal] a new IAM user: iam-user backdoor (contained)');
    expect(body).toContain('CreateUser at 2026-11-26T03:50:00Z in us-east-1 from 203.0.113.7, event 3e5a1b8c-0000-4000-8000-000000000001');
  });

  it('says when the compromise was first seen, when the request says it', () => {
    const event: AuditEvent = { ...contained, request: { ...contained.request, firstSeenAt: '2026-11-24T20:00:00.000Z' } };

    expect(renderAuditEmail(event).body).toContain('First seen:  2026-11-24T20:00:00.000Z');
    expect(renderAuditEmail(contained).body).not.toContain('First seen:');
  });

  it('says where a sweep stopped before the whole window was read, never silently', () => {
    const swept: AuditEvent = {
      ...contained,
      kind: 'swept',
      detail: 'the sweep of iam-user alice found 0 new finding(s)',
      steps: [],
      sweep: {
        from: '2026-11-25T04:00:00.000Z',
        to: '2026-11-26T04:00:00.000Z',
        regions: ['us-east-1', 'eu-west-1'],
        pages: 40,
        findings: [],
        unread: [{ region: 'us-east-1', from: '2026-11-25T04:00:00.000Z', to: '2026-11-26T03:10:00.000Z' }],
      },
    };

    const { body } = renderAuditEmail(swept);

    expect(body).toContain(
      '  incomplete: read back to 2026-11-26T03:10:00.000Z in us-east-1 (2026-11-25T04:00:00.000Z to 2026-11-26T03:10:00.000Z not read yet)',
    );
  });

  it('keeps the subject under SNS limits for long names and non-ASCII targets', () => {
    const event: AuditEvent = { ...contained, kind: 'rejected', entity: undefined, target: `arn:aws:s3:::${'é'.repeat(200)}` };
    const { subject } = renderAuditEmail(event);
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject.startsWith('[lockdown] REJECTED arn:aws:s3:::')).toBe(true);
  });

  it('names the authority of a release: the release topic, or the Security Hub release action with its finding', () => {
    const released: AuditEvent = { ...contained, kind: 'released', action: 'release', request: { authority: 'release' } };
    const finding = {
      id: 'arn:aws:securityhub:us-east-1:123456789012:finding/f1',
      productArn: 'arn:aws:securityhub:us-east-1::product/aws/securityhub',
    };
    expect(renderAuditEmail(released).body).toContain('Authority:   the release topic (lockdown-release)');
    expect(renderAuditEmail({ ...released, request: { authority: 'release', finding } }).body).toContain(
      `Authority:   the Security Hub release action on finding ${finding.id}, through the release topic (lockdown-release)`,
    );
    expect(renderAuditEmail({ ...contained, request: { authority: 'ingress' } }).body).toContain(
      'Authority:   the ingress topic (lockdown-ingress)',
    );
  });

  it('tells how to release through the release topic, not the ingress topic', () => {
    expect(releaseInstructions('arn:aws:iam::123456789012:user/alice')).toMatch(
      /publish to the release topic lockdown-release .*Action=release/,
    );
  });

  it('marks dry runs in the subject', () => {
    const event: AuditEvent = { ...contained, kind: 'planned', request: { dryRun: true } };
    expect(renderAuditEmail(event).subject).toBe('[lockdown] DRY-RUN PLANNED iam-user alice in 123456789012');
  });
});

describe('audit event schema', () => {
  it('accepts the events lockdown writes and refuses an unknown kind', () => {
    const { AuditEventSchema } = jest.requireActual<typeof import('./audit-event')>('./audit-event');
    expect(AuditEventSchema.safeParse(contained).success).toBe(true);
    expect(AuditEventSchema.safeParse({ ...contained, kind: 'exploded' }).success).toBe(false);
  });
});
