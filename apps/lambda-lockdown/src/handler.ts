import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ServiceClients, ServiceHandler, serviceWiring } from '@lockdown/aws';
import type { ServiceMessage } from '@lockdown/contracts';
import { FunctionApi } from './adapters/function-api';
import { service } from './settings';
import { lambdaLockdown } from './use-case';

/** Wires lambda-lockdown once per container; clients may be injected (tests, the local drill). */
export function createLambdaLockdownHandler(env: NodeJS.ProcessEnv = process.env, clients: ServiceClients = {}): ServiceHandler {
  const { members, ledger, own, handler } = serviceWiring(service, env, clients);
  const clientsFor = ({ entity, requestId }: ServiceMessage<'lambda-lockdown'>) => {
    const target = { ...entity, requestId };
    return {
      lambda: members.paced(new LambdaClient(members.clientConfig(target)), target),
      iam: members.paced(new IAMClient(members.clientConfig(target, 'global')), target),
    };
  };
  return handler(
    lambdaLockdown({ clientsFor, ledger, roleMode: own.lambdaRoleMode }),
    // The persistence sweep: the function's credentials are sessions of its execution role.
    async (message) => {
      const { lambda, iam } = clientsFor(message);
      return [await new FunctionApi(lambda, iam, message.entity.arn).executionRole()];
    },
  );
}
