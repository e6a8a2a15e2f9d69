import { CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import type { DispatchMessage } from '@lockdown/contracts';
import { InMemoryLedger } from '@lockdown/containment';
import { SimulatedAws } from '@lockdown/sandbox';
import { mockClient } from 'aws-sdk-client-mock';
import { MemberAccounts } from '../member-accounts';
import { derivedRequester, sweepWiring } from './sweep-wiring';

const MEMBER = '111122223333';
const TOPIC = 'arn:aws:sns:us-east-1:999999999999:lockdown-ingress';

/**
 * Review finding (L3): a derived request carried the original request's Security Hub finding, and
 * the triggers write each outcome back to the request's finding: the derived containment's
 * "contained" (of the attacker's backdoor user) replaced the original containment's note, a FAILED
 * one included. A derived request now carries its ticket and the compromise's first-seen time only.
 */
describe('the containments the sweep derives, as the service publishes them', () => {
  const sns = mockClient(SNSClient);
  const secrets = mockClient(SecretsManagerClient);
  let uninstall: () => void = () => undefined;
  afterEach(() => {
    uninstall();
    sns.reset();
    secrets.reset();
  });

  it("carry the request's ticket and first-seen time, never its finding", async () => {
    const sim = new SimulatedAws();
    sim.seedMemberRole(MEMBER, 'lockdown-member', 'ext-1');
    sim.seed(MEMBER, 'iam', 'CreateUser', { UserName: 'mallory', Path: '/' });
    sim.seed(MEMBER, 'iam', 'AttachUserPolicy', { UserName: 'mallory', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
    const key = sim.seed(MEMBER, 'iam', 'CreateAccessKey', { UserName: 'mallory' }).AccessKey;
    uninstall = sim.install();
    const stolen = { region: 'us-east-1', credentials: { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey } };
    await new IAMClient(stolen).send(new CreateUserCommand({ UserName: 'svc-backdoor' }));
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'ingress-external-id' });
    sns.on(PublishBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'derived-1' }], Failed: [] });
    const members = new MemberAccounts({
      roleName: 'lockdown-member',
      externalId: 'ext-1',
      service: 'iam-lockdown',
      sts: new STSClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDSECURITY', secretAccessKey: 'x' } }),
    });
    const sweep = sweepWiring(
      'iam-lockdown',
      {
        lookbackHours: 24,
        maxPages: 10,
        regions: ['us-east-1'],
        policy: { 'new-principal': 'contain' },
        ingress: { topicArn: TOPIC, externalIdSecretArn: 'arn:aws:secretsmanager:us-east-1:999999999999:secret:ingress' },
      },
      members,
      new InMemoryLedger(),
      { sns: new SNSClient({ region: 'us-east-1' }), secrets: new SecretsManagerClient({ region: 'us-east-1' }) },
    );
    const firstSeenAt = new Date(Date.now() - 3600_000).toISOString();
    const message: DispatchMessage = {
      version: 1,
      requestId: 'req-1',
      entity: {
        type: 'iam-user',
        arn: `arn:aws:iam::${MEMBER}:user/mallory`,
        requestedArn: `arn:aws:iam::${MEMBER}:user/mallory`,
        partition: 'aws',
        accountId: MEMBER,
        name: 'mallory',
        path: '/',
      },
      action: 'contain',
      requestedAt: new Date().toISOString(),
      dryRun: false,
      ticket: 'INC-42',
      firstSeenAt,
      finding: {
        id: 'arn:aws:guardduty:us-east-1:111122223333:detector/d/finding/f',
        productArn: 'arn:aws:securityhub:us-east-1::product/aws/guardduty',
      },
    };

    await sweep(message, { reported: [] });

    const published = sns.commandCalls(PublishBatchCommand).flatMap((call) => call.args[0].input.PublishBatchRequestEntries ?? []);
    expect(published.map((entry) => entry.MessageAttributes?.['Arn']?.StringValue)).toEqual([`arn:aws:iam::${MEMBER}:user/svc-backdoor`]);
    const body = JSON.parse(published[0]!.Message!);
    expect(body).toMatchObject({ ticket: 'INC-42', firstSeenAt, requestedBy: derivedRequester('req-1') });
    expect(body).not.toHaveProperty('finding');
  });
});
