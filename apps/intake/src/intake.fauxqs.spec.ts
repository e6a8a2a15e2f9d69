import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { SERVICES, ServiceName, DispatchMessageSchema } from '@lockdown/contracts';
import { MessagingFabric, createMessagingFabric, fauxqsEndpoint, localMessagingClients } from '@lockdown/sandbox';
import { EXTERNAL_ID, event, intakeEnv, request } from '../test/sns-event';
import { createIntakeHandler } from './handler';

async function drain(sqs: SQSClient, url: string) {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageAttributeNames: ['All'] }),
  );
  return Messages;
}

describe('intake publishing through real SNS filter policies (fauxqs)', () => {
  const { sns, sqs } = localMessagingClients(fauxqsEndpoint());
  let fabric: MessagingFabric;
  let handle: ReturnType<typeof createIntakeHandler>;

  beforeAll(async () => {
    fabric = await createMessagingFabric({ sns, sqs, prefix: `intake-it-${Date.now()}` });
    const secrets = mockClient(SecretsManagerClient);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: EXTERNAL_ID });
    const env = intakeEnv({ DISPATCH_TOPIC_ARN: fabric.dispatchTopicArn, AUDIT_TOPIC_ARN: fabric.auditTopicArn });
    handle = createIntakeHandler(env, { sns, secrets: new SecretsManagerClient({}) });
  });

  it('delivers each entity type to exactly its service queue and rejected requests nowhere', async () => {
    const requests: Record<string, string> = {
      'iam-user': 'arn:aws:iam::111111111111:user/alice',
      'iam-role': 'arn:aws:iam::111111111111:role/ops/deploy',
      'lambda-function': 'arn:aws:lambda:eu-west-1:111111111111:function:payments',
      'ec2-instance': 'arn:aws:ec2:eu-west-1:222222222222:instance/i-0123456789abcdef0',
    };
    await handle(event(...Object.values(requests).map((arn) => request(arn))));
    await handle(event(request('arn:aws:s3:::bucket'), request('arn:aws:iam::111111111111:role/lockdown-member')));

    const received = Object.fromEntries(
      await Promise.all(SERVICES.map(async (service) => [service, await drain(sqs, fabric.queues[service].url)] as const)),
    ) as Record<ServiceName, Awaited<ReturnType<typeof drain>>>;

    const typesIn = (service: ServiceName) =>
      received[service].map((m) => DispatchMessageSchema.parse(JSON.parse(m.Body!)).entity.type).sort();
    expect(typesIn('iam-lockdown')).toEqual(['iam-role', 'iam-user']);
    expect(typesIn('lambda-lockdown')).toEqual(['lambda-function']);
    expect(typesIn('ec2-isolation')).toEqual(['ec2-instance']);

    const ec2 = received['ec2-isolation'][0]!;
    expect(ec2.MessageAttributes?.['entityType']?.StringValue).toBe('ec2-instance');
    expect(JSON.parse(ec2.Body!).entity.requestedArn).toBe(requests['ec2-instance']);

    const mailbox = [...(await drain(sqs, fabric.auditQueueUrl)), ...(await drain(sqs, fabric.auditQueueUrl))];
    const subjects = mailbox.map((m) => JSON.parse(m.Body!).Subject as string);
    expect(subjects.filter((s) => s.startsWith('[lockdown] RECEIVED'))).toHaveLength(4);
    expect(subjects.filter((s) => s.startsWith('[lockdown] REJECTED'))).toHaveLength(2);
  });
});
