import { GetUserCommand, GetUserCommandOutput, IAMClient } from '@aws-sdk/client-iam';
import {
  ConnectionTrackingConfiguration,
  DescribeInstancesCommandOutput,
  DescribeNetworkInterfacesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';

/**
 * Where moto 5.1.15 answers differently from AWS (../shared/emulators/moto/README.md), corrected
 * in the drill's process only, on the answers EC2 clients receive: lockdown's code is unchanged
 * and sees what AWS would answer. Each shim names the gap it covers. Returns the undo.
 *
 * Not shimmed, so the Identity Center scenario runs in the sandbox only (identity-center.ts): moto
 * serves SSO Admin's instances, inline policies and account assignments (with their status reads) and
 * the Identity Store's users and memberships, but its ProvisionPermissionSet puts no AWSReservedSSO_*
 * role into any account (so no session exists to deny), and it has no DescribePermissionSetProvisioningStatus
 * nor GetGroupMembershipId, which identity-center-lockdown calls.
 */
export function installMotoGapShims(): () => void {
  // Gap "ConnectionTrackingSpecification is accepted but not stored": remembered here per interface.
  const tracking = new Map<string, ConnectionTrackingConfiguration>();
  const shimmed = new WeakSet<object>();
  const original = EC2Client.prototype.send;
  EC2Client.prototype.send = function send(this: EC2Client, ...args: unknown[]) {
    if (!shimmed.has(this)) {
      shimmed.add(this);
      // eslint-disable-next-line @typescript-eslint/no-this-alias -- the shim's extra DescribeNetworkInterfaces goes through the same client
      const client = this;
      this.middlewareStack.add(
        (next, context) => async (call) => {
          const result = await next(call);
          const input = call.input as { NetworkInterfaceId?: string; ConnectionTrackingSpecification?: ConnectionTrackingConfiguration };
          if (
            context.commandName === 'ModifyNetworkInterfaceAttributeCommand' &&
            input.ConnectionTrackingSpecification &&
            input.NetworkInterfaceId
          )
            tracking.set(input.NetworkInterfaceId, { ...tracking.get(input.NetworkInterfaceId), ...input.ConnectionTrackingSpecification });
          if (context.commandName === 'DescribeInstancesCommand')
            await correctInterfaces(client, result.output as DescribeInstancesCommandOutput, tracking);
          return result;
        },
        { step: 'initialize', name: 'motoGapShims', override: true },
      );
    }
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  // Gap (not in moto's README): ListServiceSpecificCredentials is not implemented (an HTML 500).
  // The drill's user has none: the shim answers what AWS answers for such a user, an empty list.
  // Gap "no user permissions boundaries" (Put/DeleteUserPermissionsBoundary not implemented, GetUser
  // returns none): the boundary is remembered here per user, for a user that exists (GetUser), and
  // GetUser answers it as AWS does (PermissionsBoundaryType PermissionsBoundaryPolicy).
  const userBoundaries = new Map<string, string>();
  const answer = (output: object) => ({
    response: { statusCode: 200, headers: {} },
    output: { ...output, $metadata: { httpStatusCode: 200 } },
  });
  const originalIam = IAMClient.prototype.send;
  const shimmedIam = new WeakSet<object>();
  IAMClient.prototype.send = function send(this: IAMClient, ...args: unknown[]) {
    if (!shimmedIam.has(this)) {
      shimmedIam.add(this);
      // eslint-disable-next-line @typescript-eslint/no-this-alias -- the shim's existence check goes through the same client
      const client = this;
      this.middlewareStack.add(
        (next, context) => async (call) => {
          const input = call.input as { UserName?: string; PermissionsBoundary?: string };
          switch (context.commandName) {
            case 'ListServiceSpecificCredentialsCommand':
              return answer({ ServiceSpecificCredentials: [] });
            case 'PutUserPermissionsBoundaryCommand':
              await client.send(new GetUserCommand({ UserName: input.UserName }));
              userBoundaries.set(input.UserName!, input.PermissionsBoundary!);
              return answer({});
            case 'DeleteUserPermissionsBoundaryCommand':
              await client.send(new GetUserCommand({ UserName: input.UserName }));
              userBoundaries.delete(input.UserName!);
              return answer({});
            case 'GetUserCommand': {
              const result = await next(call);
              const { User } = result.output as GetUserCommandOutput;
              const boundary = User?.UserName ? userBoundaries.get(User.UserName) : undefined;
              if (User && boundary)
                User.PermissionsBoundary = { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundary };
              return result;
            }
            default:
              return next(call);
          }
        },
        { step: 'initialize', name: 'motoGapShims', override: true },
      );
    }
    return (originalIam as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof originalIam;
  return () => {
    EC2Client.prototype.send = original;
    IAMClient.prototype.send = originalIam;
  };
}

async function correctInterfaces(
  ec2: EC2Client,
  output: DescribeInstancesCommandOutput,
  tracking: Map<string, ConnectionTrackingConfiguration>,
): Promise<void> {
  const interfaces = (output.Reservations ?? []).flatMap((r) => r.Instances ?? []).flatMap((i) => i.NetworkInterfaces ?? []);
  // Gap "DescribeInstances adds the instance-level groups to every attached interface": each
  // interface keeps only the groups that DescribeNetworkInterfaces (filter group-id) says it holds.
  const groupIds = [...new Set(interfaces.flatMap((n) => (n.Groups ?? []).map((g) => g.GroupId!)))];
  const holders = new Map(
    await Promise.all(
      groupIds.map(async (id) => {
        const { NetworkInterfaces = [] } = await ec2.send(
          new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'group-id', Values: [id] }] }),
        );
        return [id, new Set(NetworkInterfaces.map((n) => n.NetworkInterfaceId))] as const;
      }),
    ),
  );
  for (const eni of interfaces) {
    eni.Groups = (eni.Groups ?? []).filter((g) => holders.get(g.GroupId!)?.has(eni.NetworkInterfaceId));
    const remembered = tracking.get(eni.NetworkInterfaceId!);
    if (remembered) eni.ConnectionTrackingConfiguration = remembered;
  }
}
