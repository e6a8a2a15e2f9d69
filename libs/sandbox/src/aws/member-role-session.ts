import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { SimulatedAws } from './simulated-aws';

/** What a call came to: `allowed`, or the name of the error it was refused with. */
export const outcomeOf = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'allowed',
    (e: Error) => e.name,
  );

type MemberPolicyOf = Parameters<SimulatedAws['seedMemberRole']>[4];

/**
 * The member role, seeded in `account` with `policyOf` (the shared statements by default; a service's
 * test adds its descriptor's), and SDK clients signed as one session of it: the sandbox authorizes
 * every call they make against that policy with iam-simulate (authorization tests).
 */
export async function memberRoleSession(sim: SimulatedAws, account: string, region: string, policyOf?: MemberPolicyOf) {
  sim.seedMemberRole(account, 'lockdown-member', 'x', undefined, policyOf);
  const { Credentials } = await new STSClient({ region }).send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/lockdown-member`, RoleSessionName: 'test', ExternalId: 'x' }),
  );
  const credentials = {
    accessKeyId: Credentials!.AccessKeyId!,
    secretAccessKey: Credentials!.SecretAccessKey!,
    sessionToken: Credentials!.SessionToken!,
  };
  return <T>(Client: new (config: object) => T) => new Client({ region, credentials, maxAttempts: 1 });
}
