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
 * The sandbox installed on the SDK with the member role seeded in `account` under `policyOf` (the
 * shared statements by default; a service's test adds its descriptor's), and SDK clients signed as
 * one session of it: the sandbox authorizes every call they make against that policy with
 * iam-simulate (authorization tests: `start` in beforeAll, `stop` in afterAll).
 */
export function memberRoleSession(sim: SimulatedAws, account: string, region: string, policyOf?: MemberPolicyOf) {
  let credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string } | undefined;
  let uninstall: () => void = () => undefined;
  return {
    async start(): Promise<void> {
      uninstall = sim.install();
      sim.seedMemberRole(account, 'lockdown-member', 'x', undefined, policyOf);
      const { Credentials } = await new STSClient({ region }).send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/lockdown-member`, RoleSessionName: 'test', ExternalId: 'x' }),
      );
      credentials = {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken!,
      };
    },
    stop: () => uninstall(),
    client: <T>(Client: new (config: object) => T): T => new Client({ region, credentials, maxAttempts: 1 }),
  };
}
