import { randomBytes } from 'node:crypto';
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  IpPermission,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  SecurityGroup,
} from '@aws-sdk/client-ec2';
import { ContainmentError, isDuplicateGroup, isDuplicateRule, isRuleAbsent } from '@lockdown/containment';
import { GROUP_KIND_TAG, LOCKDOWN_NAME_PREFIX, MANAGED_TAG } from '@lockdown/contracts';
import { LockdownGroupKind, ObservedGroup } from '../domain/observed';

export const GROUP_NAMES: Record<LockdownGroupKind, string> = {
  untracked: `${LOCKDOWN_NAME_PREFIX}untracked`,
  isolation: `${LOCKDOWN_NAME_PREFIX}isolation`,
};
const KINDS = Object.keys(GROUP_NAMES) as LockdownGroupKind[];
/**
 * The names lockdown tries for a group of this kind, in order: its name, then names no one can
 * predict (an attacker who read this squats every name it can: `-2` to `-5` would all be taken). A
 * name another group holds is skipped, never trusted.
 */
const candidateNames = (kind: LockdownGroupKind) => [
  GROUP_NAMES[kind],
  ...Array.from({ length: 4 }, () => `${GROUP_NAMES[kind]}-${randomBytes(4).toString('hex')}`),
];
const tagOf = (group: SecurityGroup, key: string) => group.Tags?.find((t) => t.Key === key)?.Value;

/** The kind of one of lockdown's own groups (tagged so at creation, whatever its name); undefined for any other group. */
export function lockdownKindOf(group: SecurityGroup): LockdownGroupKind | undefined {
  const kind = tagOf(group, GROUP_KIND_TAG);
  return tagOf(group, MANAGED_TAG) === 'true' && KINDS.includes(kind as LockdownGroupKind) ? (kind as LockdownGroupKind) : undefined;
}

/** A group that carries one of lockdown's names but is not lockdown's: the kind whose name it took. */
export function impostorKindOf(group: SecurityGroup): LockdownGroupKind | undefined {
  return lockdownKindOf(group) ? undefined : KINDS.find((k) => GROUP_NAMES[k] === group.GroupName);
}

/** The permission for an expected rule key (`-1 <cidr>`: all traffic from or to a CIDR). */
const allTrafficFrom = (key: string): IpPermission => {
  const cidr = key.split(' ')[1]!;
  return cidr.includes(':') ? { IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: cidr }] } : { IpProtocol: '-1', IpRanges: [{ CidrIp: cidr }] };
};

/**
 * The rules of each kind. Untracked: all traffic both ways (only then does EC2 stop tracking a
 * flow, so existing connections lose their tracked state). Isolation: no rule at all, not even
 * the default egress rule a new group gets.
 */
export const EXPECTED_RULES: Record<LockdownGroupKind, { ingress: string[]; egress: string[] }> = {
  untracked: { ingress: ['-1 0.0.0.0/0', '-1 ::/0'], egress: ['-1 0.0.0.0/0', '-1 ::/0'] },
  isolation: { ingress: [], egress: [] },
};

/** Flattens permissions to comparable `protocol[ from-to] cidr` strings. */
export function ruleKeys(permissions: IpPermission[] | undefined): string[] {
  return (permissions ?? [])
    .flatMap((p) => {
      const ports = p.IpProtocol === '-1' ? '' : ` ${p.FromPort ?? ''}-${p.ToPort ?? ''}`;
      const peers = [
        ...(p.IpRanges ?? []).map((r) => r.CidrIp),
        ...(p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6),
        ...(p.UserIdGroupPairs ?? []).map((g) => g.GroupId),
        ...(p.PrefixListIds ?? []).map((l) => l.PrefixListId),
      ];
      return peers.map((peer) => `${p.IpProtocol}${ports} ${peer}`);
    })
    .sort();
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function describeGroup(group: SecurityGroup, kind: LockdownGroupKind): ObservedGroup {
  const ours = lockdownKindOf(group) === kind;
  const expected = EXPECTED_RULES[kind];
  const rulesExact =
    sameSet(ruleKeys(group.IpPermissions), [...expected.ingress].sort()) &&
    sameSet(ruleKeys(group.IpPermissionsEgress), [...expected.egress].sort());
  return { id: group.GroupId ?? '', ours, rulesExact };
}

/** Swallows the one error that means the change is already made. */
const unless = (alreadyDone: (error: unknown) => boolean) => (error: unknown) => {
  if (!alreadyDone(error)) throw error;
};

/**
 * lockdown's two security groups per VPC: found by their tags (set at creation, which the
 * organization guard lets only lockdown write), created on first need, and never trusted blindly:
 * a group of ours whose rules drifted is fixed. A group that took lockdown's name without being
 * lockdown's (an attacker who read the README makes one first) is never used nor changed: lockdown
 * creates its own under a name no one can predict (`lockdown-isolation-<8 random hex>`). One `ensure` per VPC and
 * kind per invocation, shared by every interface that needs it.
 */
export class SecurityGroups {
  private readonly pending = new Map<string, Promise<string>>();

  constructor(
    private readonly ec2: EC2Client,
    private readonly known: Record<string, Partial<Record<LockdownGroupKind, SecurityGroup>>> = {},
  ) {}

  private readonly observedVpcs = new Set<string>();

  /** Remembers groups an observation already read, so ensuring them costs no extra read. */
  remember(vpcId: string, kind: LockdownGroupKind, group: SecurityGroup): void {
    (this.known[vpcId] ??= {})[kind] = group;
  }

  ensure(vpcId: string, kind: LockdownGroupKind): Promise<string> {
    const key = `${vpcId}/${kind}`;
    let promise = this.pending.get(key);
    if (!promise) {
      promise = this.ensureNow(vpcId, kind).catch((error: unknown) => {
        this.pending.delete(key);
        throw error;
      });
      this.pending.set(key, promise);
    }
    return promise;
  }

  /**
   * Reads lockdown's groups in these VPCs (by tag), and the groups that took their names (by name,
   * for the audit); afterwards a group not found there is known to be missing.
   */
  async find(vpcIds: string[]): Promise<SecurityGroup[]> {
    if (vpcIds.length === 0) return [];
    vpcIds.forEach((vpc) => this.observedVpcs.add(vpc));
    const describe = (filter: { Name: string; Values: string[] }) =>
      this.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: vpcIds }, filter] }));
    const [tagged, named] = await Promise.all([
      describe({ Name: `tag:${GROUP_KIND_TAG}`, Values: KINDS }),
      describe({ Name: 'group-name', Values: Object.values(GROUP_NAMES) }),
    ]);
    const groups = new Map([...(tagged.SecurityGroups ?? []), ...(named.SecurityGroups ?? [])].map((g) => [g.GroupId, g]));
    return [...groups.values()];
  }

  private async ensureNow(vpcId: string, kind: LockdownGroupKind): Promise<string> {
    let group = this.known[vpcId]?.[kind] ?? (this.observedVpcs.has(vpcId) ? undefined : await this.findOne(vpcId, kind));
    if (!group) group = await this.create(vpcId, kind);
    const observed = describeGroup(group, kind);
    if (!observed.ours)
      throw new ContainmentError(`security group ${group.GroupId} in ${vpcId} was not created by lockdown; lockdown will not trust it`, {
        retryable: false,
        code: 'security-group-conflict',
      });
    if (!observed.rulesExact) await this.fixRules(group, kind);
    return group.GroupId!;
  }

  private async findOne(vpcId: string, kind: LockdownGroupKind): Promise<SecurityGroup | undefined> {
    return (await this.find([vpcId])).find((g) => lockdownKindOf(g) === kind && g.VpcId === vpcId);
  }

  private async create(vpcId: string, kind: LockdownGroupKind): Promise<SecurityGroup> {
    const taken: string[] = [];
    for (const GroupName of candidateNames(kind)) {
      try {
        const { GroupId } = await this.ec2.send(
          new CreateSecurityGroupCommand({
            VpcId: vpcId,
            GroupName,
            Description:
              kind === 'isolation'
                ? 'lockdown isolation: no inbound, no outbound'
                : 'lockdown untracked window: turns tracked flows into untracked ones',
            TagSpecifications: [
              {
                ResourceType: 'security-group',
                Tags: [
                  { Key: MANAGED_TAG, Value: 'true' },
                  { Key: GROUP_KIND_TAG, Value: kind },
                ],
              },
            ],
          }),
        );
        // A new group has the default egress rule (all traffic); fixRules brings it to the expected set.
        return {
          GroupId,
          GroupName,
          VpcId: vpcId,
          IpPermissions: [],
          IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
          Tags: [
            { Key: MANAGED_TAG, Value: 'true' },
            { Key: GROUP_KIND_TAG, Value: kind },
          ],
        };
      } catch (error) {
        if (!isDuplicateGroup(error)) throw error;
        // Another isolation in this VPC created ours first: use it. Otherwise the name is someone else's.
        const existing = await this.findOne(vpcId, kind);
        if (existing) return existing;
        taken.push(GroupName);
      }
    }
    throw new ContainmentError(
      `every name lockdown gives its ${kind} group in ${vpcId} (${taken.join(', ')}) is taken by a group lockdown did not create; lockdown will not trust them. Rename or delete them, then retry`,
      { retryable: false, code: 'security-group-conflict' },
    );
  }

  /**
   * Brings the rules to the expected set: if anything unexpected is there, revokes the whole
   * current set and authorises the expected one; otherwise authorises only what is missing.
   * Idempotent against a concurrent fix of the same group.
   */
  private async fixRules(group: SecurityGroup, kind: LockdownGroupKind): Promise<void> {
    const GroupId = group.GroupId!;
    const expected = EXPECTED_RULES[kind];
    const plan = (current: IpPermission[] | undefined, wanted: string[]) => {
      const keys = ruleKeys(current);
      const unexpected = keys.some((k) => !wanted.includes(k));
      return {
        revoke: unexpected ? (current ?? []) : [],
        authorize: (unexpected ? wanted : wanted.filter((k) => !keys.includes(k))).map(allTrafficFrom),
      };
    };
    const inbound = plan(group.IpPermissions, expected.ingress);
    const outbound = plan(group.IpPermissionsEgress, expected.egress);
    await Promise.all([
      inbound.revoke.length > 0 &&
        this.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId, IpPermissions: inbound.revoke })).catch(unless(isRuleAbsent)),
      outbound.revoke.length > 0 &&
        this.ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId, IpPermissions: outbound.revoke })).catch(unless(isRuleAbsent)),
    ]);
    await Promise.all([
      ...inbound.authorize.map((p) =>
        this.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [p] })).catch(unless(isDuplicateRule)),
      ),
      ...outbound.authorize.map((p) =>
        this.ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId, IpPermissions: [p] })).catch(unless(isDuplicateRule)),
      ),
    ]);
  }
}
