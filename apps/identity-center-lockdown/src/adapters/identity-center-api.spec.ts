import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import {
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  ListInstancesCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { ContainmentError } from '@lockdown/containment';
import { mockClient } from 'aws-sdk-client-mock';
import { IdentityCenterApi } from './identity-center-api';

const sso = mockClient(SSOAdminClient);
const api = () => new IdentityCenterApi(new SSOAdminClient({ region: 'us-east-1' }), new IdentitystoreClient({ region: 'us-east-1' }));
const key = {
  instanceArn: 'arn:aws:sso:::instance/ssoins-1',
  accountId: '222222222222',
  permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
  principalType: 'USER' as const,
  principalId: 'u-1',
};
const failure = async (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as ContainmentError,
  );

beforeEach(() => sso.reset());

// Identity Center's asynchronous requests: Status IN_PROGRESS | FAILED | SUCCEEDED, FailureReason
// (https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_AccountAssignmentOperationStatus.html).
describe("IdentityCenterApi reads an asynchronous request's status once, never waits", () => {
  it('fails as retryable, with its reason, a request Identity Center reports FAILED (SQS tries the idempotent step again, then dead-letters it)', async () => {
    sso.on(DeleteAccountAssignmentCommand).resolves({ AccountAssignmentDeletionStatus: { Status: 'IN_PROGRESS', RequestId: 'r-1' } });
    sso
      .on(DescribeAccountAssignmentDeletionStatusCommand)
      .resolves({ AccountAssignmentDeletionStatus: { Status: 'FAILED', RequestId: 'r-1', FailureReason: 'Received a 404 status error' } });

    const error = await failure(api().deleteAssignment(key));

    expect(error).toBeInstanceOf(ContainmentError);
    expect(error?.message).toMatch(/failed deleting the account assignment: Received a 404 status error/);
    expect(error?.failure).toEqual({ retryable: true, code: 'transient' });
  });

  it('fails as retryable (in-progress) a request still running after one status read, having read it exactly once', async () => {
    sso.on(DeleteAccountAssignmentCommand).resolves({ AccountAssignmentDeletionStatus: { Status: 'IN_PROGRESS', RequestId: 'r-2' } });
    sso
      .on(DescribeAccountAssignmentDeletionStatusCommand)
      .resolves({ AccountAssignmentDeletionStatus: { Status: 'IN_PROGRESS', RequestId: 'r-2' } });

    const error = await failure(api().deleteAssignment(key));

    expect(error?.failure).toEqual({ retryable: true, code: 'in-progress' });
    expect(sso.commandCalls(DescribeAccountAssignmentDeletionStatusCommand)).toHaveLength(1);
  });

  it('refuses for good an account and region without an Identity Center instance, saying which attributes to fix', async () => {
    sso.on(ListInstancesCommand).resolves({ Instances: [] });

    const error = await failure(api().instance());

    expect(error?.failure.retryable).toBe(false);
    expect(error?.message).toMatch(/AccountId and Region attributes must name the Identity Center account/);
  });
});
