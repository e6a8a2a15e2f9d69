import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { MemberAccounts, MemberTarget, roleSessionName } from './member-accounts';

const target: MemberTarget = { partition: 'aws', accountId: '111122223333', region: 'eu-west-1', requestId: 'req-1' };

function setup(now: { value: number }) {
  const sts = mockClient(STSClient);
  let issued = 0;
  sts.on(AssumeRoleCommand).callsFake(async () => {
    issued += 1;
    return {
      Credentials: {
        AccessKeyId: `ASIAMEMBER${issued}`,
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date(now.value + 15 * 60_000),
      },
    };
  });
  const accounts = new MemberAccounts({
    roleName: 'lockdown-member',
    externalId: 'ext-123',
    service: 'iam-lockdown',
    sts: new STSClient({ region: 'us-east-1' }),
    now: () => now.value,
  });
  return { sts, accounts };
}

/** Sends a command and returns the signed HTTP request instead of sending it. */
async function capture(client: { middlewareStack: any; send: (c: any) => Promise<unknown> }, command: unknown) {
  let request: any;
  client.middlewareStack.add(
    () => async (args: { request: unknown }) => {
      request = args.request;
      throw new Error('captured');
    },
    { step: 'deserialize', priority: 'low' },
  );
  await expect(client.send(command)).rejects.toThrow('captured');
  return request as { hostname: string; headers: Record<string, string> };
}

describe('MemberAccounts', () => {
  afterEach(() => {
    delete process.env.AWS_ENDPOINT_URL_IAM;
    delete process.env.AWS_ENDPOINT_URL;
  });

  it('assumes the member role with the ExternalId and a session name carrying the request id', async () => {
    const { sts, accounts } = setup({ value: 0 });
    await accounts.credentials(target);
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: 'arn:aws:iam::111122223333:role/lockdown-member',
      ExternalId: 'ext-123',
      RoleSessionName: 'lockdown-iam-lockdown-req-1',
    });
  });

  it('sanitises session names to the characters and length STS accepts', () => {
    const name = roleSessionName('ec2-isolation', `a b/c:d${'x'.repeat(80)}`);
    expect(name).toMatch(/^[\w+=,.@-]{2,64}$/);
    expect(name.startsWith('lockdown-ec2-isolation-a-b-c-d')).toBe(true);
  });

  it('reuses cached credentials until shortly before they expire, then refreshes', async () => {
    const now = { value: 1_000_000 };
    const { sts, accounts } = setup(now);
    const first = await accounts.credentials(target);
    now.value += 5 * 60_000;
    const second = await accounts.credentials(target);
    expect(second).toBe(first);
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);

    now.value += 6 * 60_000; // 11 minutes in: inside the 5-minute refresh margin of a 15-minute session
    const third = await accounts.credentials(target);
    expect(third.accessKeyId).toBe('ASIAMEMBER2');
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 2);
  });

  it('shares one AssumeRole between concurrent callers', async () => {
    const { sts, accounts } = setup({ value: 0 });
    await Promise.all([accounts.credentials(target), accounts.credentials(target), accounts.credentials(target)]);
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
  });

  it('does not cache a failed AssumeRole', async () => {
    const { sts, accounts } = setup({ value: 0 });
    sts.on(AssumeRoleCommand).rejectsOnce(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    await expect(accounts.credentials(target)).rejects.toThrow('denied');
    sts
      .on(AssumeRoleCommand)
      .resolves({ Credentials: { AccessKeyId: 'A', SecretAccessKey: 'S', SessionToken: 'T', Expiration: new Date(3_600_000) } });
    await expect(accounts.credentials(target)).resolves.toMatchObject({ accessKeyId: 'A' });
  });

  it('keeps separate sessions for different accounts and requests', async () => {
    const { sts, accounts } = setup({ value: 0 });
    await accounts.credentials(target);
    await accounts.credentials({ ...target, accountId: '444455556666' });
    await accounts.credentials({ ...target, requestId: 'req-2' });
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 3);
  });

  it('builds EC2 and Lambda clients in the entity region and IAM in the partition region', async () => {
    const { accounts } = setup({ value: 0 });
    const gov = { ...target, partition: 'aws-us-gov' as const, region: 'us-gov-east-1' };
    expect(await new EC2Client(accounts.clientConfig(gov)).config.region()).toBe('us-gov-east-1');
    expect(await new LambdaClient(accounts.clientConfig(gov)).config.region()).toBe('us-gov-east-1');
    expect(await new IAMClient(accounts.clientConfig(gov, 'global')).config.region()).toBe('us-gov-west-1');
  });

  it('signs member calls with the assumed credentials', async () => {
    const { accounts } = setup({ value: 0 });
    const request = await capture(new EC2Client(accounts.clientConfig(target)), new DescribeInstancesCommand({}));
    expect(request.hostname).toBe('ec2.eu-west-1.amazonaws.com');
    expect(request.headers.authorization).toContain('Credential=ASIAMEMBER1/');
    expect(request.headers['x-amz-security-token']).toBe('token');
  });

  it('honours the SDK endpoint settings (AWS_ENDPOINT_URL_<SERVICE> over AWS_ENDPOINT_URL)', async () => {
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:4000';
    process.env.AWS_ENDPOINT_URL_IAM = 'http://127.0.0.1:4001';
    const { accounts } = setup({ value: 0 });
    const iamRequest = await capture(new IAMClient(accounts.clientConfig(target, 'global')), new GetUserCommand({ UserName: 'x' }));
    const ec2Request = await capture(new EC2Client(accounts.clientConfig(target)), new DescribeInstancesCommand({}));
    expect(iamRequest.hostname).toBe('127.0.0.1');
    expect((iamRequest as any).port).toBe(4001);
    expect((ec2Request as any).port).toBe(4000);
  });
});
