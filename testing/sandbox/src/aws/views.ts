import { ConnectionTracking, DEFAULT_CONNECTION_TRACKING } from './ec2-state';
import { SimulatedAws } from './simulated-aws';

/** Plain, comparable views of sandbox entities: what "exactly the prior state" means in tests. */
export function userView(sim: SimulatedAws, accountId: string, name: string) {
  const u = sim.account(accountId).users.get(name);
  if (!u) throw new Error(`no user ${name}`);
  return {
    attached: [...u.attached].sort(),
    inline: Object.fromEntries([...u.inline].sort()),
    keys: Object.fromEntries([...u.keys].map(([id, k]) => [id, k.status]).sort()),
    otherCredentials: Object.fromEntries(
      [...(u.sshKeys ?? []), ...(u.serviceCredentials ?? []), ...(u.certificates ?? [])].map(([id, c]) => [id, c.status]).sort(),
    ),
    tags: Object.fromEntries([...u.tags].sort()),
    boundary: u.boundary ?? null,
    loginProfile: Boolean(u.loginProfile),
  };
}

export function roleView(sim: SimulatedAws, accountId: string, name: string) {
  const r = sim.account(accountId).roles.get(name);
  if (!r) throw new Error(`no role ${name}`);
  return {
    attached: [...r.attached].sort(),
    inline: Object.fromEntries([...r.inline].sort()),
    tags: Object.fromEntries([...r.tags].sort()),
    boundary: r.boundary ?? null,
    trustPolicy: r.trustPolicy,
  };
}

export function functionView(sim: SimulatedAws, accountId: string, region: string, name: string) {
  const account = sim.account(accountId);
  const f = account.functions.get(`${region}/${name}`);
  if (!f) throw new Error(`no function ${name}`);
  return {
    reservedConcurrency: f.reservedConcurrency ?? null,
    role: f.role,
    tags: Object.fromEntries([...(f.tags ?? new Map<string, string>())].sort()),
    mappings: Object.fromEntries(
      [...account.eventSourceMappings.values()]
        .filter((m) => m.functionArn === f.arn)
        .map((m) => [m.uuid, m.state])
        .sort(),
    ),
    /** Each mapping's own tags (lockdown tags the mappings it disables). */
    mappingTags: Object.fromEntries(
      [...account.eventSourceMappings.values()]
        .filter((m) => m.functionArn === f.arn)
        .map((m) => [m.uuid, Object.fromEntries([...(m.tags ?? new Map<string, string>())].sort())])
        .sort(),
    ),
  };
}

interface InterfaceView {
  groups: string[];
  tracking: ConnectionTracking;
}

export function instanceView(sim: SimulatedAws, accountId: string, region: string, instanceId: string) {
  const ec2 = sim.account(accountId).ec2.get(region);
  const instance = ec2?.instances.get(instanceId);
  if (!ec2 || !instance) throw new Error(`no instance ${instanceId}`);
  const interfaces = [...ec2.interfaces.values()].filter((e) => e.attachment?.instanceId === instanceId);
  return {
    state: instance.state,
    terminationProtection: instance.terminationProtection,
    tags: Object.fromEntries([...instance.tags].sort()),
    interfaces: Object.fromEntries(
      // The effective tracking timeouts: an interface without explicit ones uses AWS's defaults.
      interfaces
        .map((e): [string, InterfaceView] => [e.id, { groups: [...e.groups], tracking: e.tracking ?? DEFAULT_CONNECTION_TRACKING }])
        .sort(),
    ) as Record<string, InterfaceView>,
  };
}

/** lockdown's security groups in a VPC, with their rules. */
export function lockdownGroupsIn(sim: SimulatedAws, accountId: string, region: string, vpcId: string) {
  const ec2 = sim.account(accountId).ec2.get(region);
  return [...(ec2?.securityGroups.values() ?? [])]
    .filter((g) => g.vpcId === vpcId && g.name.startsWith('lockdown-'))
    .map((g) => ({ id: g.id, name: g.name, ingress: g.ingress.length, egress: g.egress.length, tags: Object.fromEntries(g.tags) }));
}
