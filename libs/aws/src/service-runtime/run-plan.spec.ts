import { type DispatchMessage, parseEntityArn } from '@lockdown/contracts';
import { requestInfo } from './run-plan';

describe('requestInfo (what the ledger records about who asked)', () => {
  it('keeps the authority and the Security Hub finding, so a post-incident report can say who asked and through what', () => {
    const message: DispatchMessage = {
      version: 1,
      requestId: 'req-1',
      entity: (parseEntityArn('arn:aws:iam::111111111111:user/alice') as Extract<ReturnType<typeof parseEntityArn>, { ok: true }>).entity,
      action: 'contain',
      reason: 'GuardDuty: credential exfiltration',
      requestedBy: 'soc',
      finding: { id: 'finding-1', productArn: 'arn:aws:securityhub:us-east-1::product/aws/guardduty' },
      requestedAt: '2026-12-06T10:00:00.000Z',
      dryRun: false,
      authority: 'ingress',
    };

    const info = requestInfo(message);

    expect(info).toEqual({
      requestId: 'req-1',
      requestedAt: '2026-12-06T10:00:00.000Z',
      reason: 'GuardDuty: credential exfiltration',
      requestedBy: 'soc',
      authority: 'ingress',
      finding: { id: 'finding-1', productArn: 'arn:aws:securityhub:us-east-1::product/aws/guardduty' },
    });
  });
});
