import { CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { memberRolePolicy } from '@lockdown/contracts';
import { MEMBER_ACCOUNT, ServiceHarness, dispatchMessage, sqsEvent, sqsRecord } from '@lockdown/sandbox';
import { descriptor } from './descriptor';
import { createLambdaLockdownHandler } from './handler';

const harness = new ServiceHarness({ memberPolicy: (props) => memberRolePolicy(props, descriptor.memberStatements) });
const REGION = 'eu-west-1';
const FN = 'payments';
const fnArn = `arn:aws:lambda:${REGION}:${MEMBER_ACCOUNT}:function:${FN}`;
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
let env: NodeJS.ProcessEnv;

beforeAll(() => harness.start());
afterAll(() => harness.stop());
beforeEach(async () => {
  env = await harness.reset();
  for (const [RoleName, Path] of [
    ['shared-exec', '/app/'],
    ['attacker-role', '/'],
  ])
    harness.sim.seed(MEMBER_ACCOUNT, 'iam', 'CreateRole', { RoleName, Path, AssumeRolePolicyDocument: '{"Statement":[]}' });
  for (const RoleName of ['shared-exec', 'attacker-role'])
    harness.sim.seed(MEMBER_ACCOUNT, 'iam', 'AttachRolePolicy', { RoleName, PolicyArn: ADMIN });
  harness.sim.seed(
    MEMBER_ACCOUNT,
    'lambda',
    'CreateFunction',
    { FunctionName: FN, Role: `arn:aws:iam::${MEMBER_ACCOUNT}:role/app/shared-exec` },
    REGION,
  );
});

// Review finding: the sweep of a function took any role's session named after the function for the
// function's own (the attacker picks function names, and may name a session of its role the same):
// now the session's role must be the function's execution role (read from the function), with the name.
describe("the persistence sweep of a contained function's credentials", () => {
  it("reports what the function's own sessions did, not what another role's session of the same name did", async () => {
    const asFunction = harness.sim.issueSession(MEMBER_ACCOUNT, 'shared-exec', FN, { 'lambda:SourceFunctionArn': fnArn });
    const impostor = harness.sim.issueSession(MEMBER_ACCOUNT, 'attacker-role', FN);
    await new IAMClient({ region: 'us-east-1', credentials: asFunction }).send(new CreateUserCommand({ UserName: 'fn-door' }));
    await new IAMClient({ region: 'us-east-1', credentials: impostor }).send(new CreateUserCommand({ UserName: 'framed' }));

    await harness.invoke(
      createLambdaLockdownHandler({ ...env, SWEEP: 'on', SWEEP_REGIONS: 'us-east-1' }, { dynamodb: harness.dynamo.client }),
      sqsEvent(sqsRecord(dispatchMessage(fnArn))),
    );

    const swept = harness.audits.find((a) => a.kind === 'swept')!;
    expect(swept.body).toMatch(/^ {2}1\. \[new-principal\] .*: iam-user fn-door \(reported\)$/m);
    expect(swept.body).not.toContain('framed');
    expect(swept.body).not.toMatch(/^ {2}2\. /m);
  });
});
