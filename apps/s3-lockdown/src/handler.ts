import { S3Client } from '@aws-sdk/client-s3';
import { ServiceClients, serviceWiring } from '@lockdown/aws';
import { s3Lockdown } from './use-case';

const PRINCIPAL = /^arn:aws[\w-]*:(iam|sts)::\d{12}:\S+$/;

function breakGlassPrincipals(value: string | undefined): string[] {
  const principals = (value ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const bad = principals.filter((p) => !PRINCIPAL.test(p));
  if (bad.length > 0)
    throw new Error(`s3-lockdown is not configured: BREAK_GLASS_PRINCIPALS has ${bad.join(', ')}, not IAM principal ARNs`);
  return principals;
}

/** Wires s3-lockdown once per container; clients may be injected (tests, the local drill). */
export function createS3LockdownHandler(env: NodeJS.ProcessEnv = process.env, clients: ServiceClients = {}) {
  const breakGlass = breakGlassPrincipals(env.BREAK_GLASS_PRINCIPALS);
  const { members, ledger, config, handler } = serviceWiring('s3-lockdown', env, clients);
  return handler(
    s3Lockdown({
      s3For: ({ entity, requestId }, region) => new S3Client(members.clientConfig({ ...entity, region, requestId })),
      ledger,
      memberRoleName: config.memberRoleName,
      breakGlassPrincipals: breakGlass,
    }),
  );
}
