import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ServiceClients, serviceWiring } from '@lockdown/aws';
import { RoleMode } from './domain/plan';
import { lambdaLockdown } from './use-case';

function roleMode(value: string | undefined): RoleMode {
  if (value === undefined || value === '' || value === 'targeted') return 'targeted';
  if (value === 'whole-role') return 'whole-role';
  throw new Error(`lambda-lockdown is not configured: LAMBDA_ROLE_MODE must be "targeted" or "whole-role", got "${value}"`);
}

/** Wires lambda-lockdown once per container; clients may be injected (tests, the local drill). */
export function createLambdaLockdownHandler(env: NodeJS.ProcessEnv = process.env, clients: ServiceClients = {}) {
  const { members, ledger, handler } = serviceWiring('lambda-lockdown', env, clients);
  return handler(
    lambdaLockdown({
      clientsFor: ({ entity, requestId }) => {
        const target = { ...entity, region: 'region' in entity ? entity.region : '', requestId };
        return { lambda: new LambdaClient(members.clientConfig(target)), iam: new IAMClient(members.clientConfig(target, 'global')) };
      },
      ledger,
      roleMode: roleMode(env.LAMBDA_ROLE_MODE),
    }),
  );
}
