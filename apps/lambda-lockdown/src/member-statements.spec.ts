import { LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { memberRolePolicy } from '@lockdown/contracts';
import { MEMBER_POLICY_NAME, SimulatedAws, memberRoleSession, outcomeOf } from '@lockdown/sandbox';
import { descriptor } from './descriptor';

const MEMBER = '111111111111';
const REGION = 'eu-west-1';

describe("lambda-lockdown's member statements, authorized by the sandbox as AWS would (iam-simulate)", () => {
  const sim = new SimulatedAws();
  const member = memberRoleSession(sim, MEMBER, REGION, (props) => memberRolePolicy(props, descriptor.memberStatements));
  const client = member.client;
  beforeAll(async () => {
    await member.start();
    sim.seed(MEMBER, 'iam', 'CreateRole', { RoleName: 'app', Path: '/', AssumeRolePolicyDocument: '{"Statement":[]}' });
    sim.seed(MEMBER, 'lambda', 'CreateFunction', { FunctionName: 'payments', Role: `arn:aws:iam::${MEMBER}:role/app` }, REGION);
  });
  afterAll(() => member.stop());

  it('allows lambda:ListEventSourceMappings (Resource "*"), and refuses it under the policy scoped to function ARNs', async () => {
    const list = () => client(LambdaClient).send(new ListEventSourceMappingsCommand({ FunctionName: 'payments' }));
    expect(await outcomeOf(list())).toBe('allowed');
    const policy = memberRolePolicy(
      {
        partition: 'aws',
        account: MEMBER,
        memberRoleName: 'lockdown-member',
        securityAccountId: '999999999999',
      },
      descriptor.memberStatements,
    );
    const scoped = {
      ...policy,
      Statement: policy.Statement.filter((s) => s.Sid !== 'ListMappings').map((s) =>
        s.Sid === 'Functions' ? { ...s, Action: [...s.Action, 'lambda:ListEventSourceMappings'] } : s,
      ),
    };
    sim.seed(MEMBER, 'iam', 'PutRolePolicy', {
      RoleName: 'lockdown-member',
      PolicyName: MEMBER_POLICY_NAME,
      PolicyDocument: JSON.stringify(scoped),
    });
    try {
      expect(await outcomeOf(list())).toBe('AccessDeniedException');
    } finally {
      sim.seed(MEMBER, 'iam', 'PutRolePolicy', {
        RoleName: 'lockdown-member',
        PolicyName: MEMBER_POLICY_NAME,
        PolicyDocument: JSON.stringify(policy),
      });
    }
  });
});
