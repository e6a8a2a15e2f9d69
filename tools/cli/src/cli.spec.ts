import { CreateTopicCommand, PublishBatchCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GUARD_MARK_RELEASE } from '@lockdown/aws';
import { fauxqsEndpoint, localMessagingClients } from '@lockdown/sandbox';
import { EXIT } from './errors';
import { publishRequests } from '@lockdown/publishing';
import { collectArns, validateArns } from './requests';

const BIN = join(__dirname, '..', 'bin', 'lockdown.cjs');
/** Runs the real `lockdown` bin (asynchronously: fauxqs answers from this process). */
function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, LOCKDOWN_TOPIC_ARN: '', LOCKDOWN_RELEASE_TOPIC_ARN: '', LOCKDOWN_EXTERNAL_ID: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
const lockdown = (...args: string[]) => run(args);
const USER = 'arn:aws:iam::111111111111:user/alice';

describe('lockdown command line', () => {
  it.each<[string, string[]]>([
    ['contain (topic from the stack)', ['contain', USER]],
    ['contain (topic given)', ['contain', USER, '--topic-arn', 'arn:aws:sns:us-east-1:111111111111:t', '--external-id', 'x']],
    ['status', ['status', USER]],
    ['report', ['report', USER]],
    ['report (a request id)', ['report', 'req-1']],
    ['cleanup', ['cleanup', '--account', '111111111111', '--region', 'eu-west-1']],
  ])('says one thing, with exit 2, when AWS is not configured: %s', async (_case, args) => {
    const unset = {
      AWS_REGION: '',
      AWS_DEFAULT_REGION: '',
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_PROFILE: '',
      HOME: '/nonexistent',
    };
    const { code, stderr } = await run(args, unset);
    expect(code).toBe(EXIT.invalidInput);
    expect(stderr).toMatch(/^error: AWS is not configured here, no (region: set AWS_REGION|credentials: set AWS_PROFILE)/);
  });

  it('refuses bad ARNs locally, names each one, and exits 2 before sending anything', async () => {
    const { code, stderr } = await lockdown(
      'contain',
      USER,
      'arn:aws:s3:::bucket',
      'arn:aws:dynamodb:us-east-1:111111111111:table/t',
      'arn:aws:iam::1:user/x',
      '--topic-arn',
      'arn:aws:sns:us-east-1:111111111111:t',
      '--external-id',
      'x',
    );
    expect(code).toBe(EXIT.invalidInput);
    expect(stderr).toContain('refused 3 invalid ARN(s); nothing was sent');
    expect(stderr).toContain('"arn:aws:s3:::bucket": an S3 ARN names no account: give the bucket owner with --account <id>');
    expect(stderr).toContain('"arn:aws:dynamodb:us-east-1:111111111111:table/t": service "dynamodb" is not supported');
    expect(stderr).toContain('"arn:aws:iam::1:user/x": account id "1" is not 12 digits');
  });

  it('prints errors as JSON with --json', async () => {
    const { code, stdout } = await lockdown(
      '--json',
      'contain',
      'nope',
      '--topic-arn',
      'arn:aws:sns:us-east-1:111111111111:t',
      '--external-id',
      'x',
    );
    expect(code).toBe(EXIT.invalidInput);
    expect(JSON.parse(stdout)).toEqual({ error: expect.stringContaining('"nope": not an ARN') });
  });

  it('exits 2 with one plain line for a --file that does not exist, sending nothing', async () => {
    const { code, stderr } = await lockdown(
      'contain',
      '--file',
      '/nonexistent/arns.txt',
      '--topic-arn',
      'arn:aws:sns:us-east-1:111111111111:t',
      '--external-id',
      'x',
    );
    expect(code).toBe(EXIT.invalidInput);
    expect(stderr).toContain('cannot read --file /nonexistent/arns.txt: no such file; nothing was sent');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('ends quietly when its output is piped into a command that stops reading (EPIPE)', async () => {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'plan', 'arn:aws:ec2:eu-west-1:111111111111:instance/i-0123456789abcdef0'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      child.stdout.destroy(); // the reader is gone before the first line, like `| head -0`
      child.on('close', (exit) => resolve({ code: exit, stderr: err }));
    });
    expect(stderr).toBe('');
    expect(code).toBe(EXIT.ok);
  });

  it.each([
    ['arn:aws:iam::111111111111:role/lockdown-member', 'protected-principal'],
    ['arn:aws:sts::111111111111:assumed-role/lockdown-member/lockdown-iam-lockdown', 'protected-principal'],
    [
      'arn:aws:iam::111111111111:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing',
      'service-linked-role',
    ],
  ])('plan refuses what the intake refuses: %s', async (arn, code) => {
    const result = await lockdown('plan', arn);
    expect(result.code).toBe(EXIT.invalidInput);
    expect(result.stderr).toContain(`the intake refuses this request (${code})`);
  });

  it("plans the containment of an attacker's role named like lockdown's own: protection is by identity, not by name", async () => {
    const result = await lockdown('--json', 'plan', 'arn:aws:iam::123456789012:role/lockdown-backdoor');
    expect(result.code).toBe(EXIT.ok);
    expect(JSON.parse(result.stdout).entity).toMatchObject({ type: 'iam-role', name: 'lockdown-backdoor' });
  });

  it('plans the containment of an Identity Center user, with the Identity Center account and region from --account and --instance-region', async () => {
    const arn = 'arn:aws:identitystore:::user/0f2b6a1e-70d1-4e5f-9a3b-1c2d3e4f5a6b';
    const planned = await lockdown('--json', 'plan', arn, '--account', '111111111111', '--instance-region', 'eu-west-1');
    const withoutRegion = await lockdown('plan', arn, '--account', '111111111111');

    expect(planned.code).toBe(EXIT.ok);
    expect(JSON.parse(planned.stdout).entity).toMatchObject({
      type: 'identity-center-user',
      accountId: '111111111111',
      region: 'eu-west-1',
    });
    expect(withoutRegion.code).toBe(EXIT.invalidInput);
    expect(withoutRegion.stderr).toContain("give the Identity Center instance's with --instance-region <region>");
  });

  it("with --security-account, refuses lockdown's own function there, and plans the same name in a member account", async () => {
    const own = await lockdown(
      'plan',
      'arn:aws:lambda:eu-west-1:999999999999:function:lockdown-intake',
      '--security-account',
      '999999999999',
    );
    const member = await lockdown(
      'plan',
      'arn:aws:lambda:eu-west-1:111111111111:function:lockdown-intake',
      '--security-account',
      '999999999999',
    );
    expect(own.code).toBe(EXIT.invalidInput);
    expect(own.stderr).toContain('the intake refuses this request (protected-principal)');
    expect(member.code).toBe(EXIT.ok);
  });

  it('shows --json in every subcommand help, and status takes --region', async () => {
    const { stdout } = await lockdown('status', '--help');
    expect(stdout).toContain('--json');
    expect(stdout).toContain('--region <region>');
  });

  it('exits 2 on an unknown command or a missing argument', async () => {
    expect((await lockdown('frobnicate')).code).toBe(EXIT.invalidInput);
    expect((await lockdown('release')).code).toBe(EXIT.invalidInput);
    expect((await lockdown('contain', '--topic-arn', 'arn:aws:sns:us-east-1:111111111111:t', '--external-id', 'x')).stderr).toContain(
      'no ARN given',
    );
  });

  it("explains a plan offline, from the services' plan code, as JSON", async () => {
    const { code, stdout } = await lockdown('--json', 'plan', 'arn:aws:lambda:eu-west-1:111111111111:function:payments:live');
    expect(code).toBe(EXIT.ok);
    const plan = JSON.parse(stdout);
    expect(plan.entity).toMatchObject({ type: 'lambda-function', arn: 'arn:aws:lambda:eu-west-1:111111111111:function:payments' });
    expect(plan.steps.map((s: { id: string }) => s.id)).toEqual([
      'deny-function-credentials',
      'reserved-concurrency-zero',
      'disable-mapping:00000000-example-mapping',
      'tag-mapping:00000000-example-mapping',
      'guard-role:example-role',
      'tag',
    ]);
    expect(plan.steps[1].calls.apply).toEqual(['lambda:PutFunctionConcurrency']);
  });

  it('publishes through SNS and reports JSON results with exit 0', async () => {
    const { sns, sqs } = localMessagingClients(fauxqsEndpoint());
    const topic = (await sns.send(new CreateTopicCommand({ Name: `cli-${Date.now()}` }))).TopicArn!;
    const queue = (await sqs.send(new CreateQueueCommand({ QueueName: `cli-${Date.now()}` }))).QueueUrl!;
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue, AttributeNames: ['QueueArn'] }))).Attributes![
      'QueueArn'
    ]!;
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: queueArn }));

    const result = await run(
      ['--json', 'contain', USER, '--reason', 'leaked keys', '--ticket', 'SEC-9', '--since', '2026-11-24T20:00:00Z'],
      {
        LOCKDOWN_TOPIC_ARN: topic,
        LOCKDOWN_EXTERNAL_ID: 'ext-1',
        AWS_ENDPOINT_URL_SNS: fauxqsEndpoint(),
        AWS_REGION: 'us-east-1',
      },
    );
    expect(result.code).toBe(EXIT.ok);
    expect(JSON.parse(result.stdout)).toMatchObject({
      action: 'contain',
      published: 1,
      failed: 0,
      results: [{ arn: USER, messageId: expect.any(String) }],
    });
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue, WaitTimeSeconds: 1 }));
    const envelope = JSON.parse(Messages[0]!.Body!);
    expect(envelope.MessageAttributes).toMatchObject({
      Arn: { Type: 'String', Value: USER },
      ExternalId: { Type: 'String', Value: 'ext-1' },
      Action: { Value: 'contain' },
    });
    expect(JSON.parse(envelope.Message)).toMatchObject({ reason: 'leaked keys', ticket: 'SEC-9', firstSeenAt: '2026-11-24T20:00:00.000Z' });
  });

  it('releases through the release topic ($LOCKDOWN_RELEASE_TOPIC_ARN), never the ingress topic', async () => {
    const { sns, sqs } = localMessagingClients(fauxqsEndpoint());
    const [ingress, release] = await Promise.all(
      ['ingress', 'release'].map(async (name) => (await sns.send(new CreateTopicCommand({ Name: `cli-${name}-${Date.now()}` }))).TopicArn!),
    );
    const queue = (await sqs.send(new CreateQueueCommand({ QueueName: `cli-release-${Date.now()}` }))).QueueUrl!;
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue, AttributeNames: ['QueueArn'] }))).Attributes![
      'QueueArn'
    ]!;
    await Promise.all(
      [ingress, release].map((topic) => sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: queueArn }))),
    );
    const env = {
      LOCKDOWN_TOPIC_ARN: ingress!,
      LOCKDOWN_RELEASE_TOPIC_ARN: release!,
      LOCKDOWN_EXTERNAL_ID: 'ext-1',
      AWS_ENDPOINT_URL_SNS: fauxqsEndpoint(),
      AWS_REGION: 'us-east-1',
    };

    const result = await run(['--json', 'release', USER], env);

    expect(result.code).toBe(EXIT.ok);
    expect(JSON.parse(result.stdout)).toMatchObject({ action: 'release', topicArn: release, published: 1 });
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }));
    expect(Messages.map((m) => [JSON.parse(m.Body!).TopicArn, JSON.parse(m.Body!).MessageAttributes.Action.Value])).toEqual([
      [release, 'release'],
    ]);
    // The ingress topic's flag is not the release command's: a release cannot be sent there by mistake.
    const misdirected = await run(['release', USER, '--topic-arn', ingress!], env);
    expect(misdirected.code).toBe(EXIT.invalidInput);
    expect(misdirected.stderr).toContain("unknown option '--topic-arn'");
  });

  it('publishes a bucket with its owner (AccountId), and only a bucket', async () => {
    const { sns, sqs } = localMessagingClients(fauxqsEndpoint());
    const topic = (await sns.send(new CreateTopicCommand({ Name: `cli-s3-${Date.now()}` }))).TopicArn!;
    const queue = (await sqs.send(new CreateQueueCommand({ QueueName: `cli-s3-${Date.now()}` }))).QueueUrl!;
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue, AttributeNames: ['QueueArn'] }))).Attributes![
      'QueueArn'
    ]!;
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: queueArn }));

    const result = await run(['contain', 'arn:aws:s3:::customer-data', USER, '--account', '111111111111'], {
      LOCKDOWN_TOPIC_ARN: topic,
      LOCKDOWN_EXTERNAL_ID: 'ext-1',
      AWS_ENDPOINT_URL_SNS: fauxqsEndpoint(),
      AWS_REGION: 'us-east-1',
    });
    expect(result.code).toBe(EXIT.ok);
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }));
    const attributes = Object.fromEntries(
      Messages.map((m) => JSON.parse(m.Body!).MessageAttributes).map((a) => [a.Arn.Value, a.AccountId?.Value ?? null]),
    );
    expect(attributes).toEqual({ 'arn:aws:s3:::customer-data': '111111111111', [USER]: null });
  });

  it('publishes mass containment in batches of ten', async () => {
    const sns = new SNSClient({ region: 'us-east-1', endpoint: fauxqsEndpoint(), credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    const topic = (await sns.send(new CreateTopicCommand({ Name: `cli-mass-${Date.now()}` }))).TopicArn!;
    const send = jest.spyOn(sns, 'send');
    const arns = Array.from({ length: 25 }, (_, i) => `arn:aws:iam::111111111111:user/u${i}`);
    const progress: number[] = [];
    const results = await publishRequests(sns, topic, 'x', arns, { action: 'contain' }, (done) => progress.push(done));
    expect(results.filter((r) => r.messageId)).toHaveLength(25);
    expect(send.mock.calls.filter(([c]) => c instanceof PublishBatchCommand)).toHaveLength(3);
    expect(progress).toEqual([10, 20, 25]);
  });

  describe('under pressure: the advice names what exists', () => {
    const noRegion = { AWS_REGION: '', AWS_DEFAULT_REGION: '' };

    it('publishes with --region, or in the region of the topic ARN, when the SDK has none', async () => {
      const { sns } = localMessagingClients(fauxqsEndpoint());
      const topic = (await sns.send(new CreateTopicCommand({ Name: `cli-region-${Date.now()}` }))).TopicArn!;
      const env = { ...noRegion, AWS_ENDPOINT_URL_SNS: fauxqsEndpoint() };
      const given = await run(['contain', USER, '--topic-arn', topic, '--external-id', 'x', '--region', 'us-east-1'], env);
      expect(given.stderr).toBe('');
      expect(given.code).toBe(EXIT.ok);
      const fromArn = await run(['contain', USER, '--external-id', 'x'], { ...env, LOCKDOWN_TOPIC_ARN: topic });
      expect(fromArn.code).toBe(EXIT.ok);
    });

    it('refuses a --region that contradicts the topic ARN, before sending anything', async () => {
      const { code, stderr } = await lockdown(
        'contain',
        USER,
        '--topic-arn',
        'arn:aws:sns:us-east-1:111111111111:lockdown-ingress',
        '--external-id',
        'x',
        '--region',
        'eu-west-1',
      );
      expect(code).toBe(EXIT.invalidInput);
      expect(stderr).toBe(
        'error: --region eu-west-1, but the topic arn:aws:sns:us-east-1:111111111111:lockdown-ingress is in us-east-1 (lockdown lives in one region); nothing was sent\n',
      );
    });

    it('prints exactly one JSON document for a usage error with --json, and no help', async () => {
      const { code, stdout, stderr } = await lockdown('--json', 'frobnicate');
      expect(code).toBe(EXIT.invalidInput);
      expect(stderr).toBe('');
      expect(JSON.parse(stdout)).toEqual({ error: expect.stringContaining("unknown command 'frobnicate'") });
    });

    it('says a usage error in one line and points at --help instead of printing it all', async () => {
      const { code, stderr } = await lockdown('status');
      expect(code).toBe(EXIT.invalidInput);
      expect(stderr.trim().split('\n')).toEqual(["error: missing required argument 'arn'", '(lockdown status --help shows the usage)']);
    });

    it('prints its version (from package.json)', async () => {
      const { code, stdout } = await lockdown('--version');
      expect(code).toBe(EXIT.ok);
      expect(stdout.trim()).toBe(JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')).version);
    });

    it('releases several ARNs and a --file in one command', async () => {
      const { sns, sqs } = localMessagingClients(fauxqsEndpoint());
      const topic = (await sns.send(new CreateTopicCommand({ Name: `cli-release-${Date.now()}` }))).TopicArn!;
      const queue = (await sqs.send(new CreateQueueCommand({ QueueName: `cli-release-${Date.now()}` }))).QueueUrl!;
      const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue, AttributeNames: ['QueueArn'] }))).Attributes![
        'QueueArn'
      ]!;
      await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: queueArn }));
      const file = join(mkdtempSync(join(tmpdir(), 'lockdown-')), 'arns.txt');
      writeFileSync(file, 'arn:aws:iam::111111111111:role/r\n');

      const result = await run(['--json', 'release', USER, 'arn:aws:iam::111111111111:user/bob', '--file', file], {
        LOCKDOWN_RELEASE_TOPIC_ARN: topic,
        LOCKDOWN_EXTERNAL_ID: 'x',
        AWS_ENDPOINT_URL_SNS: fauxqsEndpoint(),
      });
      expect(result.code).toBe(EXIT.ok);
      expect(JSON.parse(result.stdout)).toMatchObject({ action: 'release', published: 3 });
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }));
      expect(Messages.map((m) => JSON.parse(m.Body!).MessageAttributes.Action.Value)).toEqual(['release', 'release', 'release']);
    });

    it('plan says the guard mark goes with the deny on release, as the release does (it is not kept)', async () => {
      const { stdout } = await lockdown('plan', 'arn:aws:lambda:eu-west-1:111111111111:function:payments');
      const mark = stdout.split('\n').findIndex((l) => l.includes('lockdown:guarded'));
      expect(stdout.split('\n')[mark + 1]).toContain(`release: ${GUARD_MARK_RELEASE}`);
      expect(stdout).not.toContain('release: kept');
    });
  });

  it('reads ARNs from a file or stdin, skipping blank lines and comments', () => {
    expect(collectArns([], '-', () => `# incident 42\n${USER}\n\n  arn:aws:iam::111111111111:role/r  # the role\n`)).toEqual([
      USER,
      'arn:aws:iam::111111111111:role/r',
    ]);
    expect(validateArns([USER]).map((e) => e.type)).toEqual(['iam-user']);
  });
});
