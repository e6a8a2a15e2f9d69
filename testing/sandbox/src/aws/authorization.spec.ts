import { AttachRolePolicyCommand, IAMClient, TagRoleCommand } from '@aws-sdk/client-iam';
import { memberRoleSession, outcomeOf } from './member-role-session';
import { SimulatedAws } from './simulated-aws';

const MEMBER = '111111111111';
const REGION = 'eu-west-1';

// The shared statements on IAM principals; each service's own are tested beside its descriptor.
describe('the sandbox authorizes member-role calls as AWS would (iam-simulate)', () => {
  const sim = new SimulatedAws();
  const member = memberRoleSession(sim, MEMBER, REGION);
  const client = member.client;
  beforeAll(async () => {
    await member.start();
    sim.seed(MEMBER, 'iam', 'CreateRole', { RoleName: 'app', Path: '/', AssumeRolePolicyDocument: '{"Statement":[]}' });
  });
  afterAll(() => member.stop());

  it('lets the role attach AWSDenyAll and nothing else', async () => {
    const attach = (PolicyArn: string) => client(IAMClient).send(new AttachRolePolicyCommand({ RoleName: 'app', PolicyArn }));
    expect(await outcomeOf(attach('arn:aws:iam::aws:policy/AdministratorAccess'))).toBe('AccessDenied');
    expect(await outcomeOf(attach('arn:aws:iam::aws:policy/AWSDenyAll'))).toBe('allowed');
  });

  it('writes only the containment tag on principals', async () => {
    const tag = (Key: string) => client(IAMClient).send(new TagRoleCommand({ RoleName: 'app', Tags: [{ Key, Value: 'x' }] }));
    expect(await outcomeOf(tag('lockdown:containment'))).toBe('allowed');
    expect(await outcomeOf(tag('team'))).toBe('AccessDenied');
    expect(await outcomeOf(tag('lockdown:managed'))).toBe('AccessDenied');
  });
});
