import {
  DeleteSecurityGroupCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { MANAGED_TAG } from '@lockdown/contracts';
import { CliError, EXIT } from '../errors';
import { Output } from '../output';

export interface CleanupOptions {
  account: string;
  region: string;
  apply?: boolean;
}

/**
 * Lists (and with --apply deletes) the security groups lockdown created in one account and
 * region that no network interface uses any more. Runs with your own credentials: the member
 * role cannot delete anything.
 */
export async function runCleanup(
  options: CleanupOptions,
  output: Output,
  clients = { ec2: new EC2Client({ region: options.region }), sts: new STSClient({ region: options.region }) },
): Promise<number> {
  if (!/^\d{12}$/.test(options.account)) throw new CliError('--account must be a 12-digit account id', EXIT.invalidInput);
  const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
  if (identity.Account !== options.account)
    throw new CliError(
      `your credentials are for account ${identity.Account}, not ${options.account}: nothing was deleted`,
      EXIT.invalidInput,
    );
  const { SecurityGroups = [] } = await clients.ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: `tag:${MANAGED_TAG}`, Values: ['true'] }] }),
  );
  const rows = await Promise.all(
    SecurityGroups.map(async (group) => {
      const { NetworkInterfaces = [] } = await clients.ec2.send(
        new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'group-id', Values: [group.GroupId!] }] }),
      );
      return {
        groupId: group.GroupId!,
        name: group.GroupName ?? '',
        vpcId: group.VpcId ?? '',
        inUseBy: NetworkInterfaces.length,
        deleted: false,
      };
    }),
  );
  const unused = rows.filter((r) => r.inUseBy === 0);
  if (options.apply)
    for (const row of unused) {
      await clients.ec2.send(new DeleteSecurityGroupCommand({ GroupId: row.groupId }));
      row.deleted = true;
    }
  output.result({ account: options.account, region: options.region, groups: rows }, () => {
    if (rows.length === 0) output.line('no lockdown security groups here');
    for (const r of rows)
      output.line(
        `${r.groupId}  ${r.name.padEnd(20)} ${r.vpcId}  ${r.inUseBy > 0 ? `in use by ${r.inUseBy} interface(s): kept` : r.deleted ? 'unused: deleted' : 'unused: would delete (run with --apply)'}`,
      );
  });
  return EXIT.ok;
}
