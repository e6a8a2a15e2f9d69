import { Readable } from 'node:stream';

/**
 * An AWS error the sandbox answers with: the wire code (`NoSuchEntity`, `InvalidGroup.NotFound`,
 * `ResourceNotFoundException`) and HTTP status. It never reaches the code under test as it is: the
 * sandbox turns it into an HTTP response in the service's protocol (`wireErrorResponse`) and the
 * SDK's own deserializer makes the error the code sees (e.g. `NoSuchEntityException`).
 */
export class SandboxAwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatusCode: number,
  ) {
    super(message);
    this.name = code;
  }
}

export function awsError(code: string, message: string, httpStatusCode = 400): SandboxAwsError {
  return new SandboxAwsError(code, message, httpStatusCode);
}

/** Faults the sandbox can inject, by name, with the HTTP status AWS uses for them. */
export const FAULTS = {
  throttling: () => awsError('Throttling', 'Rate exceeded', 400),
  'request-limit': () => awsError('RequestLimitExceeded', 'Request limit exceeded.', 503),
  '5xx': () => awsError('InternalFailure', 'The request processing has failed because of an unknown error.', 500),
  timeout: () => Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ETIMEDOUT', $metadata: {} }),
  'access-denied': (service: string, operation: string) =>
    awsError(
      service === 'ec2' ? 'UnauthorizedOperation' : service === 'lambda' ? 'AccessDeniedException' : 'AccessDenied',
      `User: arn:aws:sts::assumed-role/lockdown-member is not authorized to perform: ${service}:${operation}`,
      403,
    ),
} as const satisfies Record<string, (service: string, operation: string) => Error>;
export type FaultName = keyof typeof FAULTS;

export interface WireResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Readable;
}

/** The protocol each sandboxed service speaks on the wire. */
export const PROTOCOLS: Record<string, 'awsQuery' | 'ec2Query' | 'restJson1' | 'awsJson1_0' | 'awsJson1_1' | 'restXml'> = {
  iam: 'awsQuery',
  sts: 'awsQuery',
  autoscaling: 'awsQuery',
  elasticloadbalancing: 'awsQuery',
  sns: 'awsQuery',
  ec2: 'ec2Query',
  lambda: 'restJson1',
  sqs: 'awsJson1_0',
  dynamodb: 'awsJson1_0',
  s3: 'restXml',
  ssm: 'awsJson1_1',
  cloudformation: 'awsQuery',
  securityhub: 'restJson1',
  guardduty: 'restJson1',
  cloudtrail: 'awsJson1_1',
  organizations: 'awsJson1_1',
  sso: 'awsJson1_1',
  identitystore: 'awsJson1_1',
};

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The HTTP response AWS sends for this error, in the service's protocol. */
export function wireErrorResponse(service: string, error: SandboxAwsError, requestId = 'sandbox-request'): WireResponse {
  const { code, message, httpStatusCode: statusCode } = error;
  const respond = (headers: Record<string, string>, body: string) => ({ statusCode, headers, body: Readable.from([Buffer.from(body)]) });
  switch (PROTOCOLS[service]) {
    case 'awsQuery':
      return respond(
        { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        `<ErrorResponse><Error><Type>${statusCode >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${xml(code)}</Code><Message>${xml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      );
    case 'ec2Query':
      return respond(
        { 'content-type': 'text/xml;charset=UTF-8' },
        `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${xml(code)}</Code><Message>${xml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
      );
    case 'restJson1':
      return respond(
        { 'content-type': 'application/json', 'x-amzn-errortype': code, 'x-amzn-requestid': requestId },
        JSON.stringify({ Type: statusCode >= 500 ? 'Service' : 'User', message }),
      );
    case 'awsJson1_0':
      return respond(
        { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': `${code};Sender`, 'x-amzn-requestid': requestId },
        JSON.stringify({ __type: code, message }),
      );
    case 'awsJson1_1':
      return respond(
        { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId },
        JSON.stringify({ __type: code, message }),
      );
    case 'restXml':
      return respond(
        { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
        `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xml(code)}</Code><Message>${xml(message)}</Message><RequestId>${requestId}</RequestId><HostId>sandbox</HostId></Error>`,
      );
    default:
      throw new Error(`the sandbox knows no wire protocol for ${service}`);
  }
}
