import { S3Client } from '@aws-sdk/client-s3';
import { ServiceClients, ServiceHandler, serviceWiring } from '@lockdown/aws';
import { service } from './settings';
import { s3Lockdown } from './use-case';

/** Wires s3-lockdown once per container; clients may be injected (tests, the local drill). */
export function createS3LockdownHandler(env: NodeJS.ProcessEnv = process.env, clients: ServiceClients = {}): ServiceHandler {
  const { members, ledger, config, own, handler } = serviceWiring(service, env, clients);
  return handler(
    s3Lockdown({
      s3For: ({ entity, requestId }, region) => new S3Client(members.clientConfig({ ...entity, region, requestId })),
      ledger,
      memberRoleName: config.memberRoleName,
      breakGlassPrincipals: own.s3BreakGlassPrincipals,
    }),
  );
}
