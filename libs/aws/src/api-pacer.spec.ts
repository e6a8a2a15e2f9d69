import { Readable } from 'node:stream';
import { CreateTagsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AttachUserPolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { BudgetSpentError } from '@lockdown/containment';
import { ApiPacer } from './api-pacer';

const SETTINGS = { region: 'us-east-1', maxAttempts: 5, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } };

/** A clock that only moves when the pacer sleeps. */
function pacerWithClock(options: { concurrency?: number; maxWaitMs?: number } = {}) {
  const clock = { now: 0, slept: 0 };
  const pacer = new ApiPacer({
    ...options,
    now: () => clock.now,
    sleep: async (ms) => {
      clock.now += ms;
      clock.slept += ms;
    },
  });
  return { pacer, clock };
}

// EC2 throttles per account and per Region, mutating actions with a bucket of 50 refilled at 5/s
// (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html).
describe('pacing member-account calls within each account and region budget', () => {
  it("spends EC2's mutating bucket, then waits for its refill; reads are not counted", async () => {
    const { pacer, clock } = pacerWithClock({ maxWaitMs: 1000 });
    for (let i = 0; i < 50; i += 1) await pacer.take('111111111111', 'us-east-1', 'EC2', 'ModifyInstanceAttribute');
    for (let i = 0; i < 100; i += 1) await pacer.take('111111111111', 'us-east-1', 'EC2', 'DescribeInstances');
    expect(clock.now).toBe(0);
    for (let i = 0; i < 5; i += 1) await pacer.take('111111111111', 'us-east-1', 'EC2', 'ModifyInstanceAttribute');
    expect(clock.now).toBe(1000);
  });

  it("never makes one account or region wait for another's spent budget", async () => {
    const { pacer, clock } = pacerWithClock();
    for (let i = 0; i < 50; i += 1) await pacer.take('111111111111', 'us-east-1', 'EC2', 'CreateTags');
    await pacer.take('222222222222', 'us-east-1', 'EC2', 'CreateTags');
    await pacer.take('111111111111', 'eu-west-1', 'EC2', 'CreateTags');
    expect(clock.slept).toBe(0);
  });

  it('lets each of maximumConcurrency invocations burst, then refill at its share, so together they keep to the rate', async () => {
    const { pacer, clock } = pacerWithClock({ concurrency: 5, maxWaitMs: 10_000 });
    for (let i = 0; i < 20; i += 1) await pacer.take('111111111111', 'us-east-1', 'Lambda', 'PutFunctionConcurrency');
    // Lambda's 15/s shared by 5: the burst of 15 at once, then 3/s, so 20 calls take (20 - 15) / 3 s.
    expect(clock.now).toBeGreaterThanOrEqual(1666);
    expect(clock.now).toBeLessThan(1700);
  });

  it('backs off at once after AWS throttles, and fails the call rather than wait longer than allowed', async () => {
    const { pacer } = pacerWithClock({ maxWaitMs: 100 });
    await pacer.throttled('111111111111', 'us-east-1', 'EC2', 'CreateTags');
    // The next token of an empty EC2 bucket is 200 ms away: beyond the 100 ms an invocation may wait.
    const refused = pacer.take('111111111111', 'us-east-1', 'EC2', 'CreateTags');
    await expect(refused).rejects.toBeInstanceOf(BudgetSpentError);
    await expect(refused).rejects.toMatchObject({ failure: { retryable: true, code: 'throttled' } });
  });

  it('paces a client through a middleware on every attempt, and drains the bucket on a throttling answer', async () => {
    const { pacer, clock } = pacerWithClock({ maxWaitMs: 1000 });
    let middleware: any;
    const client = {
      config: { serviceId: 'EC2', region: async () => 'us-east-1' },
      middlewareStack: { add: (m: unknown) => (middleware = m) },
    };
    pacer.pace(client, '111111111111');
    const throttle = Object.assign(new Error('Request limit exceeded.'), { name: 'RequestLimitExceeded' });
    const send = middleware(async () => Promise.reject(throttle), { commandName: 'CreateTagsCommand' });
    await expect(send({})).rejects.toMatchObject({ failure: { retryable: true, code: 'throttled' } });
    const ok = middleware(async () => 'sent', { commandName: 'CreateTagsCommand' });
    expect(await ok({})).toBe('sent');
    expect(clock.now).toBe(200);
  });

  // The SDK's standard retry mode backs a throttled call off inside the invocation (500 ms x 2^n,
  // jittered: https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html), holding
  // the event source's concurrency slot that a quiet account's request needs. A throttling answer
  // to a budgeted call ends the attempt instead: the request comes back later (sqs-handler).
  // Each as its service answers on the wire: IAM's Query protocol (400), EC2's own XML with HTTP 503
  // (which the SDK would also call transient: https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html).
  const throttlingAnswers = [
    {
      api: 'IAM',
      client: (requestHandler: object) => new IAMClient({ ...SETTINGS, requestHandler }),
      command: new AttachUserPolicyCommand({ UserName: 'u', PolicyArn: 'arn:aws:iam::aws:policy/AWSDenyAll' }),
      status: 400,
      body: '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>',
      name: 'Throttling',
    },
    {
      api: 'EC2',
      client: (requestHandler: object) => new EC2Client({ ...SETTINGS, requestHandler }),
      command: new CreateTagsCommand({ Resources: ['i-0123456789abcdef0'], Tags: [{ Key: 'k', Value: 'v' }] }),
      status: 503,
      body: '<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r</RequestID></Response>',
      name: 'RequestLimitExceeded',
    },
  ];

  it.each(throttlingAnswers)(
    'ends a throttled $api call at its first answer: the SDK does not back off while the invocation holds its slot',
    async ({ client, command, status, body, name }) => {
      const pacer = new ApiPacer({ concurrency: 5 });
      let attempts = 0;
      const paced = client({
        handle: async () => {
          attempts += 1;
          return {
            response: { statusCode: status, reason: 'Throttled', headers: { 'content-type': 'text/xml' }, body: Readable.from([body]) },
          };
        },
      });
      pacer.pace(paced, '111111111111');
      const started = performance.now();

      const sent = (paced as { send: (c: unknown) => Promise<unknown> }).send(command);

      await expect(sent).rejects.toBeInstanceOf(BudgetSpentError);
      await expect(sent).rejects.toMatchObject({ failure: { retryable: true, code: 'throttled' }, message: expect.stringContaining(name) });
      expect(attempts).toBe(1);
      expect(performance.now() - started).toBeLessThan(400);
    },
  );

  it("leaves a throttled call outside lockdown's budgets to the SDK's retries (CloudTrail's LookupEvents)", async () => {
    const { pacer } = pacerWithClock();
    let middleware: any;
    pacer.pace(
      { config: { serviceId: 'CloudTrail', region: async () => 'us-east-1' }, middlewareStack: { add: (m: unknown) => (middleware = m) } },
      '111111111111',
    );
    const throttle = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    await expect(middleware(async () => Promise.reject(throttle), { commandName: 'LookupEventsCommand' })({})).rejects.toBe(throttle);
  });
});
