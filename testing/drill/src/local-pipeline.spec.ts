import { countEntities, everyEntityHas } from './local-pipeline';

const email = (subject: string, at: number, arn = '') => ({ at, subject, body: arn ? `ARN:         ${arn}\n` : '' });

describe('counting what the audit mailbox says of entities', () => {
  it('counts entities, not emails: two requests for one entity (a publish and a finding) are one containment', () => {
    const emails = [
      email('[lockdown] CONTAINED iam-user alice in 111111111111', 1),
      email('[lockdown] CONTAINED iam-user alice in 111111111111', 2),
      email('[lockdown] CONTAINED iam-role app in 111111111111', 3),
      email('[lockdown] CONTAINING ec2-instance i-1 in 111111111111', 4),
    ];
    expect(countEntities(emails, 'CONTAINED')).toBe(2);
    expect(countEntities(emails, 'CONTAINING')).toBe(1);
  });

  it('knows when every one of the named entities has its email, however many others have several', () => {
    const [alice, app] = ['arn:aws:iam::111111111111:user/alice', 'arn:aws:iam::111111111111:role/app'];
    const twice = [email('[lockdown] CONTAINED iam-user alice', 1, alice), email('[lockdown] CONTAINED iam-user alice', 2, alice)];
    expect(everyEntityHas(twice, 'CONTAINED', [alice, app])).toBe(false);
    expect(everyEntityHas([...twice, email('[lockdown] CONTAINED iam-role app', 3, app)], 'CONTAINED', [alice, app])).toBe(true);
  });
});
