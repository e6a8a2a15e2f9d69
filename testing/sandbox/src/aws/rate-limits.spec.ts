import { CreateTagsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient, TagUserCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { budgetRateLimits } from './rate-limits';
import { SimulatedAws } from './simulated-aws';

const [A, B] = ['111111111111', '222222222222'];

/** Sends `n` calls as the account (the sandbox's callers without a session act in its home account); returns the SDK's error names. */
async function burst(sim: SimulatedAws, account: string, n: number, send: () => Promise<unknown>): Promise<string[]> {
  sim.homeAccountId = account;
  const errors: string[] = [];
  for (let i = 0; i < n; i += 1) await send().catch((e: Error) => errors.push(e.name));
  return errors;
}

// AWS throttles per account and per Region (EC2: https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html,
// mutating actions bucket 50; Lambda's control plane 15 requests/s; IAM: lockdown's chosen 20/s), each
// with its own error as the SDK deserializes it from the wire.
describe("the sandbox enforces each account and region's API budget separately", () => {
  let sim: SimulatedAws;
  let uninstall: () => void;
  beforeEach(() => {
    sim = new SimulatedAws();
    sim.rateLimits = budgetRateLimits();
    uninstall = sim.install();
  });
  afterEach(() => uninstall());

  const credentials = { accessKeyId: 'AKIDHOME', secretAccessKey: 'x' };
  const ec2 = (region: string) => new EC2Client({ region, credentials, maxAttempts: 1 });
  const tag = (region: string) => () => ec2(region).send(new CreateTagsCommand({ Resources: ['i-1'], Tags: [{ Key: 'k', Value: 'v' }] }));

  it("throttles EC2's mutating calls past the bucket with RequestLimitExceeded, in that account and region only", async () => {
    // Refused: the calls past the 50 of the bucket, less what refilled (5/s) while they ran.
    const refused = (await burst(sim, A, 70, tag('us-east-1'))).filter((n) => n === 'RequestLimitExceeded').length;
    expect(refused).toBeGreaterThanOrEqual(10);
    expect(refused).toBeLessThanOrEqual(20);
    expect(await burst(sim, B, 1, tag('us-east-1'))).not.toContain('RequestLimitExceeded');
    expect(await burst(sim, A, 1, tag('eu-west-1'))).not.toContain('RequestLimitExceeded');
    expect(sim.throttledByAccount).toEqual({ [A]: refused });
  });

  it("throttles Lambda's control plane with TooManyRequestsException and IAM's writes with Throttling", async () => {
    const lambda = new LambdaClient({ region: 'us-east-1', credentials, maxAttempts: 1 });
    const lambdaErrors = await burst(sim, A, 40, () => lambda.send(new GetFunctionCommand({ FunctionName: 'f' })));
    expect(lambdaErrors.filter((n) => n === 'TooManyRequestsException').length).toBeGreaterThanOrEqual(10);
    const iam = new IAMClient({ region: 'us-east-1', credentials, maxAttempts: 1 });
    const iamErrors = await burst(sim, A, 40, () => iam.send(new TagUserCommand({ UserName: 'u', Tags: [] })));
    expect(iamErrors.filter((n) => n === 'Throttling').length).toBeGreaterThanOrEqual(10);
    expect(await burst(sim, B, 1, () => iam.send(new TagUserCommand({ UserName: 'u', Tags: [] })))).not.toContain('Throttling');
  });
});
