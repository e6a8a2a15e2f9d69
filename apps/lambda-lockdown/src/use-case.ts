import type { IAMClient } from '@aws-sdk/client-iam';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { Executor, LedgerPort, Outcome } from '@lockdown/containment';
import type { ServiceMessage } from '@lockdown/contracts';
import { runPlan } from '@lockdown/aws';
import { FunctionApi } from './adapters/function-api';
import { lambdaContainmentAdapter } from './adapters/lambda-containment';
import { RoleMode } from './domain/plan';

type LambdaMessage = ServiceMessage<'lambda-lockdown'>;

export interface LambdaLockdownDeps {
  /** Lambda (in the function's region) and IAM clients signed as the member role. */
  clientsFor(message: LambdaMessage): { lambda: LambdaClient; iam: IAMClient };
  ledger: LedgerPort;
  roleMode: RoleMode;
  now?: () => Date;
}

/** Contains or releases one Lambda function (always the whole function, whatever qualifier was asked). */
export function lambdaLockdown(deps: LambdaLockdownDeps) {
  return async (message: LambdaMessage): Promise<Outcome> => {
    const entity = message.entity;
    const { lambda, iam } = deps.clientsFor(message);
    const adapter = lambdaContainmentAdapter(entity, {
      partition: entity.partition,
      requestId: message.requestId,
      roleMode: deps.roleMode,
    });
    const executor = new Executor(adapter, deps.ledger, deps.now);
    return runPlan(executor, { api: new FunctionApi(lambda, iam, entity.arn) }, message);
  };
}
