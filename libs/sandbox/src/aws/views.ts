import { SimulatedAws } from './simulated-aws';

/** Plain, comparable views of sandbox entities: what "exactly the prior state" means in tests. */
export function userView(sim: SimulatedAws, accountId: string, name: string) {
  const u = sim.account(accountId).users.get(name);
  if (!u) throw new Error(`no user ${name}`);
  return {
    attached: [...u.attached].sort(),
    inline: Object.fromEntries([...u.inline].sort()),
    keys: Object.fromEntries([...u.keys].map(([id, k]) => [id, k.status]).sort()),
    tags: Object.fromEntries([...u.tags].sort()),
  };
}

export function roleView(sim: SimulatedAws, accountId: string, name: string) {
  const r = sim.account(accountId).roles.get(name);
  if (!r) throw new Error(`no role ${name}`);
  return {
    attached: [...r.attached].sort(),
    inline: Object.fromEntries([...r.inline].sort()),
    tags: Object.fromEntries([...r.tags].sort()),
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
    mappings: Object.fromEntries([...account.eventSourceMappings.values()].filter((m) => m.functionArn === f.arn).map((m) => [m.uuid, m.state]).sort()),
  };
}
