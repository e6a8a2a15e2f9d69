import { CloudTrailClient, LookupEventsCommand, LookupEventsCommandInput, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateSecurityGroupCommand, EC2Client } from '@aws-sdk/client-ec2';
import { SimulatedAws } from './simulated-aws';
import { CloudTrailRecord } from './cloudtrail-record';

const MEMBER = '111111111111';
const REGION = 'us-east-1';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

/**
 * CloudTrail in the sandbox, pinned to AWS's documentation: the record fields of "CloudTrail record
 * contents" and "userIdentity element" (docs.aws.amazon.com/awscloudtrail/latest/userguide/
 * cloudtrail-event-reference-record-contents.html, cloudtrail-event-reference-user-identity.html),
 * LookupEvents' limits (CloudTrail API Reference, LookupEvents: one lookup attribute, MaxResults
 * 1-50, two requests per second per account and Region, newest first).
 */
describe("the sandbox's CloudTrail event history", () => {
  let uninstall: () => void = () => undefined;
  afterEach(() => uninstall());

  function sandbox() {
    const sim = new SimulatedAws();
    let now = Date.parse('2026-11-26T12:00:00Z');
    sim.now = () => new Date(now);
    sim.seed(MEMBER, 'iam', 'CreateUser', { UserName: 'mallory', Path: '/' });
    sim.seed(MEMBER, 'iam', 'AttachUserPolicy', { UserName: 'mallory', PolicyArn: ADMIN });
    const key = sim.seed(MEMBER, 'iam', 'CreateAccessKey', { UserName: 'mallory' }).AccessKey;
    const credentials = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
    uninstall = sim.install();
    const client = <T>(Client: new (config: object) => T) => new Client({ region: REGION, credentials, maxAttempts: 1 });
    return { sim, credentials, client, advance: (ms: number) => (now += ms) };
  }

  const records = async (trail: CloudTrailClient, input: LookupEventsCommandInput = {}) => {
    const out = await trail.send(new LookupEventsCommand(input));
    return (out.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent!) as CloudTrailRecord);
  };

  it('records a call by an IAM user key with its identity, parameters and the ids it created (no secret)', async () => {
    const { sim, client, credentials } = sandbox();
    sim.cloudTrail.sourceIps.set(credentials.accessKeyId, '203.0.113.7');
    await client(IAMClient).send(new CreateUserCommand({ UserName: 'backdoor' }));
    const created = await client(IAMClient).send(new CreateAccessKeyCommand({ UserName: 'backdoor' }));

    const [keyEvent, userEvent] = await records(client(CloudTrailClient), {
      LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: credentials.accessKeyId }],
    });

    expect(userEvent).toMatchObject({
      eventVersion: '1.09',
      userIdentity: { type: 'IAMUser', userName: 'mallory', accountId: MEMBER, accessKeyId: credentials.accessKeyId },
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateUser',
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.7',
      requestParameters: { userName: 'backdoor' },
      responseElements: { user: { userName: 'backdoor', arn: `arn:aws:iam::${MEMBER}:user/backdoor` } },
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: MEMBER,
    });
    expect(userEvent!.userAgent).toMatch(/aws-sdk-js/);
    expect(userEvent!.eventID).toMatch(/^[0-9a-f-]{36}$/);
    expect(keyEvent!.responseElements).toEqual({
      accessKey: { userName: 'backdoor', accessKeyId: created.AccessKey!.AccessKeyId, status: 'Active', createDate: expect.any(String) },
    });
  });

  it("records an assumed-role session's calls with its session issuer, and a refused call with its error", async () => {
    const { sim } = sandbox();
    sim.seed(MEMBER, 'iam', 'CreateRole', { RoleName: 'app', Path: '/', AssumeRolePolicyDocument: '{}' });
    const session = sim.issueSession(MEMBER, 'app', 'i-0123456789abcdef0');
    const ec2 = new EC2Client({ region: REGION, credentials: session, maxAttempts: 1 });

    await expect(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'open', Description: 'x', VpcId: 'vpc-1' }))).rejects.toThrow();

    const [refused] = sim.cloudTrail.recordsOf(MEMBER).filter((r) => r.eventName === 'CreateSecurityGroup');
    const role = sim.account(MEMBER).roles.get('app')!;
    expect(refused).toMatchObject({
      userIdentity: {
        type: 'AssumedRole',
        principalId: `${role.id}:i-0123456789abcdef0`,
        arn: `arn:aws:sts::${MEMBER}:assumed-role/app/i-0123456789abcdef0`,
        accessKeyId: session.accessKeyId,
        sessionContext: { sessionIssuer: { type: 'Role', principalId: role.id, arn: role.arn, userName: 'app' } },
      },
      errorCode: 'UnauthorizedOperation',
      responseElements: null,
    });
    expect(refused!.errorMessage).toMatch(/not authorized/);
  });

  it('returns an event only after the delivery delay', async () => {
    const { sim, client, advance } = sandbox();
    sim.cloudTrail.deliveryDelayMs = 5 * 60_000;
    await client(IAMClient).send(new CreateUserCommand({ UserName: 'late' }));
    const byName = { LookupAttributes: [{ AttributeKey: 'EventName' as const, AttributeValue: 'CreateUser' }] };

    const before = await records(client(CloudTrailClient), byName);
    advance(5 * 60_000);
    const after = await records(client(CloudTrailClient), byName);

    expect(before).toEqual([]);
    expect(after.map((r) => r.requestParameters)).toEqual([{ userName: 'late' }]);
  });

  it('pages newest first, at most 50 a page, each event once, even when events arrive between pages', async () => {
    const { sim, client, advance } = sandbox();
    sim.rateLimits = [];
    for (let i = 0; i < 7; i++) {
      sim.seed(MEMBER, 'iam', 'CreateUser', { UserName: `u${i}`, Path: '/' });
      await client(IAMClient).send(new CreateAccessKeyCommand({ UserName: `u${i}` }));
      advance(1000);
    }
    const trail = client(CloudTrailClient);
    const query = { LookupAttributes: [{ AttributeKey: 'EventName' as const, AttributeValue: 'CreateAccessKey' }], MaxResults: 3 };

    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await trail.send(new LookupEventsCommand({ ...query, NextToken }));
      seen.push(...page.Events!.map((e) => JSON.parse(e.CloudTrailEvent!).requestParameters.userName));
      sim.seed(MEMBER, 'iam', 'CreateUser', { UserName: `late${seen.length}`, Path: '/' });
      await client(IAMClient).send(new CreateAccessKeyCommand({ UserName: `late${seen.length}` }));
      NextToken = page.NextToken;
      advance(1000);
    } while (NextToken);

    expect(seen).toEqual(['u6', 'u5', 'u4', 'u3', 'u2', 'u1', 'u0']);
  });

  it.each([
    [
      {
        LookupAttributes: [
          { AttributeKey: 'Username' as const, AttributeValue: 'a' },
          { AttributeKey: 'EventName' as const, AttributeValue: 'b' },
        ],
      },
      'InvalidLookupAttributesException',
    ],
    [{ MaxResults: 51 }, 'InvalidMaxResultsException'],
    [{ StartTime: new Date('2026-11-26T12:00:00Z'), EndTime: new Date('2026-11-26T11:00:00Z') }, 'InvalidTimeRangeException'],
    [{ NextToken: 'not-a-token' }, 'InvalidNextTokenException'],
  ])('refuses %j with %s, as the SDK deserializes it', async (input, name) => {
    const { client } = sandbox();

    const error = await client(CloudTrailClient)
      .send(new LookupEventsCommand(input))
      .catch((e: Error) => e);

    expect((error as Error).name).toBe(name);
  });

  it('throttles LookupEvents beyond 2 requests per second per account and region', async () => {
    const { sim, client } = sandbox();
    const trail = client(CloudTrailClient);

    const outcomes = await Promise.all(
      [1, 2, 3].map(() =>
        trail.send(new LookupEventsCommand({})).then(
          () => 'ok',
          (e: Error) => e.name,
        ),
      ),
    );

    expect(outcomes.sort()).toEqual(['ThrottlingException', 'ok', 'ok']);
    expect(sim.throttled['cloudtrail']).toBe(1);
  });

  it('lets an attacker stop a trail, which does not stop the event history', async () => {
    const { sim, client } = sandbox();
    sim.seed(MEMBER, 'cloudtrail', 'CreateTrail', { Name: 'org-trail', S3BucketName: 'logs' });
    sim.seed(MEMBER, 'cloudtrail', 'StartLogging', { Name: 'org-trail' });

    await client(CloudTrailClient).send(new StopLoggingCommand({ Name: 'org-trail' }));

    expect(sim.seed(MEMBER, 'cloudtrail', 'GetTrailStatus', { Name: 'org-trail' })).toEqual({ IsLogging: false });
    const stopped = await records(client(CloudTrailClient), {
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'StopLogging' }],
    });
    expect(stopped.map((r) => [r.eventSource, r.requestParameters])).toEqual([['cloudtrail.amazonaws.com', { name: 'org-trail' }]]);
  });
});
