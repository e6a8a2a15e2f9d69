import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

const local = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

/** SNS and SQS clients for a local emulator endpoint (fauxqs). */
export function localMessagingClients(endpoint: string) {
  return { sns: new SNSClient({ ...local, endpoint }), sqs: new SQSClient({ ...local, endpoint }) };
}

/** The fauxqs endpoint the jest globalSetup started. */
export function fauxqsEndpoint(): string {
  const endpoint = process.env.FAUXQS_ENDPOINT;
  if (!endpoint) throw new Error('FAUXQS_ENDPOINT is not set: run this test with the fauxqs globalSetup');
  return endpoint;
}
