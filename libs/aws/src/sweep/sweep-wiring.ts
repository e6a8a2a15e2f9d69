import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SNSClient } from '@aws-sdk/client-sns';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DispatchMessage, globalRegionOf } from '@lockdown/contracts';
import { ExternalIdSecret, publishRequests } from '@lockdown/publishing';
import type { DerivedContainment } from '@lockdown/sweep';
import type { LedgerPort } from '@lockdown/containment';
import type { MemberAccounts } from '../member-accounts';
import { CloudTrailHistory, SWEEP_RETRIES } from './cloudtrail-history';
import { SweepDeps, createSweep } from './sweep-of-containment';
import { SweepSettings } from './sweep-settings';
import { DERIVED_REQUESTER } from './sweep-of-containment';

/** The requester a derived containment names: the sweep, and the request it comes from. */
export const derivedRequester = (requestId: string) => `${DERIVED_REQUESTER} (derived from request ${requestId})`;

/**
 * What the sweep reads in the member account, with the member role's session for the request: its
 * event history (a CloudTrail client per region) and the regions enabled for it (DescribeRegions
 * without AllRegions, asked in IAM's region).
 */
export function memberEventHistory(members: Pick<MemberAccounts, 'clientConfig'>): Pick<SweepDeps, 'historyFor' | 'enabledRegions'> {
  const config = (message: DispatchMessage, accountId: string, region: string) =>
    members.clientConfig({
      partition: message.entity.partition,
      accountId,
      region,
      requestId: message.requestId,
    });
  return {
    historyFor: (message, accountId) =>
      new CloudTrailHistory((region) => new CloudTrailClient({ ...config(message, accountId, region), ...SWEEP_RETRIES })),
    enabledRegions: async (message, accountId) => {
      const ec2 = new EC2Client(config(message, accountId, globalRegionOf(message.entity.partition)));
      const { Regions = [] } = await ec2.send(new DescribeRegionsCommand({}));
      return Regions.flatMap((r) => (r.RegionName ? [r.RegionName] : []));
    },
  };
}

/**
 * The sweep as a service runs it: LookupEvents with the member role's session for the request (a
 * client per region), and the policy's containments published to the ingress topic like any
 * request (the intake authenticates, validates, refuses protected principals and audits them).
 */
export function sweepWiring(
  service: string,
  settings: SweepSettings,
  members: MemberAccounts,
  ledger: Pick<LedgerPort, 'get' | 'recordSweep'>,
  clients: { sns: SNSClient; secrets?: SecretsManagerClient },
  /** The service's own readers of whom a containment sweeps (a function's roles, an Identity Center user's recorded reach). */
  identity: Pick<SweepDeps, 'credentialRoles' | 'recordedIdentity'> = {},
) {
  const secret =
    settings.ingress && new ExternalIdSecret(settings.ingress.externalIdSecretArn, clients.secrets ?? new SecretsManagerClient({}));
  const contain = async (containments: DerivedContainment[], message: DispatchMessage) => {
    const externalId = await secret!.get();
    for (const c of containments) {
      const [result] = await publishRequests(clients.sns, settings.ingress!.topicArn, externalId, [c.arn], {
        action: 'contain',
        reason: `persistence sweep: ${c.reason} (CloudTrail event ${c.eventId})`,
        requestedBy: derivedRequester(message.requestId),
        // Not the request's finding: the triggers write each outcome back to a request's finding, and
        // the derived one's ("contained", of the attacker's backdoor) would replace the original's.
        ...(message.ticket ? { ticket: message.ticket } : {}),
        ...(message.firstSeenAt ? { firstSeenAt: message.firstSeenAt } : {}),
      });
      if (result?.error) throw new Error(`publishing the containment of ${c.arn} failed: ${result.error}`);
    }
  };
  return createSweep({
    service,
    settings,
    ledger,
    ...memberEventHistory(members),
    ...(settings.ingress ? { contain } : {}),
    ...identity,
    now: () => new Date(),
  });
}
