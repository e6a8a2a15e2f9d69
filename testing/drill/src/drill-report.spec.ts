import { Output } from '@lockdown/cli';
import type { DrillReport } from './run-drill';
import { countEntities } from './local-pipeline';
import { checkDrillOptions, printReport } from './drill-command';

const report: DrillReport = {
  mode: 'sandbox',
  memberAccount: '222222222222',
  checks: [{ name: 'the user is contained', ok: true, detail: '' }],
  emails: [
    { at: 1200, subject: '[lockdown] RECEIVED iam-user alice', body: 'RECEIVED: contain request accepted and dispatched' },
    { at: 2400, subject: '[lockdown] CONTAINED iam-user alice', body: 'CONTAINED: contained and verified' },
  ],
  pollers: {
    intake: { batches: 2, records: 9, failures: 0, redelivered: 0 },
    'iam-lockdown': { batches: 12, records: 14, failures: 1, redelivered: 1 },
  },
  durationMs: 21_000,
  passed: true,
  ledgers: [],
};

const printed = (emails: boolean) => {
  const lines: string[] = [];
  printReport(report, new Output(false, (t) => lines.push(t)), emails);
  return lines.join('\n');
};

describe("the drill's report", () => {
  it('prints the timeline once and no audit email by default', () => {
    const text = printed(false);
    expect(text.match(/CONTAINED iam-user alice/g)).toHaveLength(1);
    expect(text).not.toContain('contained and verified');
    expect(text).toContain('\n  source        batches  records  failed records\n');
    expect(text).toContain('\n  iam-lockdown       12       14               1');
  });

  it('prints every audit email with --emails', () => {
    expect(printed(true)).toContain('CONTAINED: contained and verified');
  });

  it('takes the adversary defaults without a --propagation-delay', () => {
    expect(checkDrillOptions({ untrackedWindow: '2', timeout: '90', adversary: true })).toEqual({
      untrackedWindow: 2,
      timeout: 90,
      propagation: 4,
    });
  });
});

describe('what the drills wait for', () => {
  it('counts distinct entities, not emails (a service may send CONTAINED twice)', () => {
    const email = (subject: string) => ({ at: 0, subject, body: '' });
    const emails = [
      email('[lockdown] CONTAINED iam-user alice in 111111111111'),
      email('[lockdown] CONTAINED iam-user alice in 111111111111'),
      email('[lockdown] FAILED lambda-function fn in 111111111111'),
      email('[lockdown] CONTAINING ec2-instance i-1 in 111111111111'),
    ];
    expect(countEntities(emails, 'CONTAINED')).toBe(1);
    expect(countEntities(emails, 'CONTAINED', 'FAILED')).toBe(2);
  });
});
