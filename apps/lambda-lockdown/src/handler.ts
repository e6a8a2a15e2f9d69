import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ServiceClients, ServiceHandler, serviceWiring } from '@lockdown/aws';
import { service } from './settings';
import { lambdaLockdown } from './use-case';

/** Wires lambda-lockdown once per container; clients may be injected (tests, the local drill). */
export function createLambdaLockdownHandler(env: NodeJS.ProcessEnv = process.env, clients: ServiceClients = {}): ServiceHandler {
  const { members, ledger, own, handler } = serviceWiring(service, env, clients);
  return handler(
    lambdaLockdown({
      clientsFor: ({ entity, requestId }) => {
        const target = { ...entity, requestId };
        return {
          lambda: members.paced(new LambdaClient(members.clientConfig(target)), target),
          iam: members.paced(new IAMClient(members.clientConfig(target, 'global')), target),
        };
      },
      ledger,
      roleMode: own.lambdaRoleMode,
    }),
  );
}
