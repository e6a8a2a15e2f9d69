import { SimulatedAws } from './simulated-aws';

const MEMBER = '111111111111';

/**
 * IAM's "Case sensitivity" for tags (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html#case-sensitivity):
 * the tag keys of users and roles are not case sensitive, but their case is preserved; a user cannot
 * have separate Department and department keys, and tagging with the other casing replaces the first.
 */
describe("the sandbox's IAM tag keys, case-insensitive as IAM's", () => {
  const tagsOf = (sim: SimulatedAws, kind: 'User' | 'Role', name: string) =>
    sim.seed(MEMBER, 'iam', `List${kind}Tags`, { [`${kind}Name`]: name }).Tags;

  it.each(['User', 'Role'] as const)('Untag%s with another casing of an existing key removes it', (kind) => {
    const sim = new SimulatedAws();
    sim.seed(MEMBER, 'iam', `Create${kind}`, { [`${kind}Name`]: 'alice', Path: '/', AssumeRolePolicyDocument: '{}' });
    sim.seed(MEMBER, 'iam', `Tag${kind}`, {
      [`${kind}Name`]: 'alice',
      Tags: [
        { Key: 'lockdown:containment', Value: 'r-1' },
        { Key: 'team', Value: 'a' },
      ],
    });

    sim.seed(MEMBER, 'iam', `Untag${kind}`, { [`${kind}Name`]: 'alice', TagKeys: ['Lockdown:Containment'] });

    expect(tagsOf(sim, kind, 'alice')).toEqual([{ Key: 'team', Value: 'a' }]);
  });

  it.each(['User', 'Role'] as const)('Tag%s with another casing of an existing key overwrites its value and keeps one key', (kind) => {
    const sim = new SimulatedAws();
    sim.seed(MEMBER, 'iam', `Create${kind}`, { [`${kind}Name`]: 'alice', Path: '/', AssumeRolePolicyDocument: '{}' });
    sim.seed(MEMBER, 'iam', `Tag${kind}`, { [`${kind}Name`]: 'alice', Tags: [{ Key: 'lockdown:containment', Value: 'r-1' }] });

    sim.seed(MEMBER, 'iam', `Tag${kind}`, { [`${kind}Name`]: 'alice', Tags: [{ Key: 'LOCKDOWN:CONTAINMENT', Value: 'forged' }] });

    expect(tagsOf(sim, kind, 'alice')).toEqual([{ Key: 'lockdown:containment', Value: 'forged' }]);
  });
});
