import { PublishBatchCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { customActionArn } from '@lockdown/findings';
import { answerLocally, asffFinding, customActionEvent } from '@lockdown/sandbox';
import { createTriggersHandler } from './handler';
import type { BusEvent } from './triggers';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const INGRESS = 'arn:aws:sns:us-east-1:999999999999:lockdown-ingress';
const RELEASE = 'arn:aws:sns:us-east-1:999999999999:lockdown-release';
const env = {
  INGRESS_TOPIC_ARN: INGRESS,
  EXTERNAL_ID_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:999999999999:secret:x',
  AUDIT_TOPIC_ARN: 'arn:aws:sns:us-east-1:999999999999:lockdown-audit',
};
const sns = mockClient(SNSClient);
const secrets = mockClient(SecretsManagerClient);

beforeEach(() => {
  sns.reset();
  secrets.reset();
  sns.on(PublishBatchCommand).callsFake((input) => ({
    Successful: input.PublishBatchRequestEntries.map((e: { Id: string }) => ({ Id: e.Id, MessageId: `m-${e.Id}` })),
  }));
  sns.on(PublishCommand).resolves({ MessageId: 'audit' });
  secrets.on(GetSecretValueCommand).resolves({ SecretString: 'external-id' });
});

const handler = (extra: Record<string, string> = {}) =>
  createTriggersHandler(
    { ...env, ...extra },
    {
      sns: new SNSClient({}),
      secrets: new SecretsManagerClient({}),
      securityHub: (region) => answerLocally(new SecurityHubClient({ region }), () => ({ ProcessedFindings: [], UnprocessedFindings: [] })),
    },
  );
const action = (a: 'contain' | 'release') =>
  customActionEvent(
    customActionArn('aws', REGION, '999999999999', a),
    [asffFinding(ACCOUNT, REGION, [{ Type: 'AwsIamUser', Id: `arn:aws:iam::${ACCOUNT}:user/alice` }])],
    REGION,
    '999999999999',
  ) as BusEvent;
const publishedTo = () =>
  sns
    .commandCalls(PublishBatchCommand)
    .map((c) => [c.args[0].input.TopicArn, c.args[0].input.PublishBatchRequestEntries?.[0]?.MessageAttributes?.['Action']?.StringValue]);

describe('the triggers publish each request to its authority', () => {
  it('publishes a containment to the ingress topic', async () => {
    await handler({ RELEASE_TOPIC_ARN: RELEASE })(action('contain'));
    expect(publishedTo()).toEqual([[INGRESS, 'contain']]);
  });

  it('publishes the Security Hub release action to the release topic', async () => {
    await handler({ RELEASE_TOPIC_ARN: RELEASE })(action('release'));
    expect(publishedTo()).toEqual([[RELEASE, 'release']]);
  });

  it('publishes no release when the release action is off (no release topic): the event is REJECTED with its reason, nothing published', async () => {
    const results = await handler()(action('release'));
    expect(results).toEqual([{ kind: 'rejected', reason: expect.stringMatching(/release action is off.*securityHubRelease/) }]);
    expect(publishedTo()).toEqual([]);
  });
});
