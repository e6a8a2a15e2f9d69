import { countEmails } from './local-pipeline';

describe('countEmails', () => {
  it('counts entities, not emails: two requests for one entity (a publish and a finding) are one containment', () => {
    const email = (subject: string, at: number) => ({ at, subject, body: '' });
    const emails = [
      email('[lockdown] CONTAINED iam-user alice in 111111111111', 1),
      email('[lockdown] CONTAINED iam-user alice in 111111111111', 2),
      email('[lockdown] CONTAINED iam-role app in 111111111111', 3),
      email('[lockdown] CONTAINING ec2-instance i-1 in 111111111111', 4),
    ];
    expect(countEmails(emails, 'CONTAINED')).toBe(2);
    expect(countEmails(emails, 'CONTAINING')).toBe(1);
  });
});
