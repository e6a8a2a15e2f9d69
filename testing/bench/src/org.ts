import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SERVICES } from '@lockdown/contracts';
import { API_BUDGETS, isReadOnlyOperation } from '@lockdown/containment';
import { memberPolicy } from '@lockdown/services';
import { SimulatedAws, budgetRateLimits } from '@lockdown/sandbox';
import { AuditEmail, LocalPipeline } from '@lockdown/drill';
import { containedArns } from './mass';

export interface OrgOptions {
  /** Requests in all (default 10,000). */
  requests: number;
  accounts: number;
  regions: readonly string[];
  /** The flooded account and region's share of the requests. */
  floodShare: number;
  seed: number;
  /** Injected per AWS call. */
  latencyMs: number;
}

export const ORG_DEFAULTS: OrgOptions = {
  requests: 10_000,
  accounts: 20,
  regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'],
  floodShare: 0.8,
  seed: 25,
  latencyMs: 100,
};

/** One run's figures (fairness on or off). */
export interface OrgRun {
  fair: boolean;
  totalSeconds: number;
  /** What the flooded account and region's budgets allow for the calls it needed: max over budgets of (calls - burst) / refill. */
  lowerBoundSeconds: number;
  ratio: number;
  /** Seconds until the intake had dispatched the whole flood (the quiet requests arrive after). */
  floodDispatchedSeconds: number;
  bottleneck: string;
  /** The bottleneck's successful calls by operation (what the lower bound counts). */
  bottleneckCalls: Record<string, number>;
  /** The quiet accounts' requests: seconds from publish to the first effect and to CONTAINED. */
  quiet: {
    requests: number;
    firstEffect: { p50: number; p99: number };
    contained: { p50: number; p99: number };
    /** To CONTAINED, p99 by entity type. */
    containedP99ByType: Record<string, number>;
  };
  throttlingErrors: Record<string, number>;
  lost: number;
  lostEntities: string[];
  deadLettered: number;
  redeliveries: number;
  /** How late this run's process ran its timers (all of the pipeline shares one event loop): p99 and max, ms. */
  eventLoopDelayMs: { p99: number; max: number };
  /** Deliveries again by queue (after a failure, or a visibility timeout that ran out). */
  redelivered: Record<string, number>;
}

export interface OrgFigures {
  requests: { total: number; accounts: number; regions: readonly string[]; flood: number; quiet: number; byType: Record<string, number> };
  latencyMs: number;
  budgets: Array<{ api: string; capacity: number; refillPerSecond: number; source: string }>;
  runs: OrgRun[];
  durationSeconds: number;
  /** The machine's load average over its last 1, 5 and 15 minutes when the runs ended (both run at once, each in its own process). */
  loadAverage: number[];
}

const SECURITY = '999999999999';
const TYPES = ['iam-user', 'iam-role', 'lambda-function', 'ec2-instance'] as const;
type EntityType = (typeof TYPES)[number];
/** The mix of the mass bench: 45% users, 30% roles, 15% functions, 10% instances. */
const MIX: Record<EntityType, number> = { 'iam-user': 0.45, 'iam-role': 0.3, 'lambda-function': 0.15, 'ec2-instance': 0.1 };

interface Request {
  arn: string;
  account: string;
  region: string;
  type: EntityType;
  flood: boolean;
  /** Quiet requests: published when the flood has this share of what the intake had not dispatched yet contained (seeded). */
  at?: number;
}

/** A small seeded generator (mulberry32): the same run every time. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const accountIds = (n: number) => Array.from({ length: n }, (_, i) => String(100000000000 + i * 1111));

/** Splits `n` requests over the mix (the rest to users). */
function byMix(n: number): Record<EntityType, number> {
  const counts = Object.fromEntries(TYPES.map((t) => [t, Math.floor(n * MIX[t])])) as Record<EntityType, number>;
  counts['iam-user'] += n - Object.values(counts).reduce((a, b) => a + b, 0);
  return counts;
}

/** The requests: the flood in the first account's first region, the rest spread over the other accounts and all regions. */
export function orgRequests(options: OrgOptions): Request[] {
  const next = random(options.seed);
  const [flooded, ...quietAccounts] = accountIds(options.accounts);
  const flood = Math.round(options.requests * options.floodShare);
  const requests: Request[] = [];
  const add = (account: string, region: string, type: EntityType, flood: boolean) =>
    requests.push({ arn: '', account, region, type, flood, ...(flood ? {} : { at: 0.02 + next() * 0.8 }) });
  for (const [type, n] of Object.entries(byMix(flood)) as Array<[EntityType, number]>)
    for (let i = 0; i < n; i += 1) add(flooded!, options.regions[0]!, type, true);
  // Every quiet account has at least one; the rest go to accounts and regions at random.
  const quiet = options.requests - flood;
  for (let i = 0; i < quiet; i += 1) {
    const account = i < quietAccounts.length ? quietAccounts[i]! : quietAccounts[Math.floor(next() * quietAccounts.length)]!;
    const region = options.regions[Math.floor(next() * options.regions.length)]!;
    const pick = next();
    let acc = 0;
    const type = TYPES.find((t) => (acc += MIX[t]) > pick) ?? 'iam-user';
    add(account, region, type, false);
  }
  return requests;
}

/** Creates each request's entity in its account and region, directly in the sandbox; sets its ARN. */
function seed(sim: SimulatedAws, requests: Request[]): void {
  const subnets = new Map<string, string>();
  const roles = new Map<string, { name: string; functions: number }>();
  requests.forEach((r, i) => {
    const iam = (op: string, input: object) => sim.seed(r.account, 'iam', op, input);
    if (r.type === 'iam-user') {
      iam('CreateUser', { UserName: `u${i}`, Path: '/' });
      iam('CreateAccessKey', { UserName: `u${i}` });
      r.arn = `arn:aws:iam::${r.account}:user/u${i}`;
    } else if (r.type === 'iam-role') {
      iam('CreateRole', { RoleName: `r${i}`, Path: '/app/', AssumeRolePolicyDocument: '{"Statement":[]}' });
      r.arn = `arn:aws:iam::${r.account}:role/app/r${i}`;
    } else if (r.type === 'lambda-function') {
      // Five functions per execution role (a role's inline policies share a 10,240-byte quota).
      let role = roles.get(r.account);
      if (!role || role.functions === 5) {
        role = { name: `exec${i}`, functions: 0 };
        roles.set(r.account, role);
        iam('CreateRole', { RoleName: role.name, Path: '/', AssumeRolePolicyDocument: '{"Statement":[]}' });
      }
      role.functions += 1;
      sim.seed(
        r.account,
        'lambda',
        'CreateFunction',
        { FunctionName: `f${i}`, Role: `arn:aws:iam::${r.account}:role/${role.name}` },
        r.region,
      );
      r.arn = `arn:aws:lambda:${r.region}:${r.account}:function:f${i}`;
    } else {
      const ec2 = (op: string, input: object) => sim.seed(r.account, 'ec2', op, input, r.region);
      const key = `${r.account}|${r.region}`;
      if (!subnets.has(key)) {
        const { Vpc } = ec2('CreateVpc', {});
        subnets.set(key, ec2('CreateSubnet', { VpcId: Vpc.VpcId }).Subnet.SubnetId);
      }
      const { Instances } = ec2('RunInstances', { SubnetId: subnets.get(key) });
      r.arn = `arn:aws:ec2:${r.region}:${r.account}:instance/${Instances[0].InstanceId}`;
    }
  });
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 100) / 100;
};

/** One run of the organization: the flood published at once, the quiet requests while it runs. */
export async function orgRun(options: OrgOptions, fair: boolean, progress: (text: string) => void): Promise<OrgRun> {
  const requests = orgRequests(options);
  const accounts = accountIds(options.accounts);
  const lag = monitorEventLoopDelay({ resolution: 20 });
  lag.enable();
  const sim = new SimulatedAws();
  const uninstall = sim.install();
  sim.homeAccountId = SECURITY;
  for (const account of accounts)
    sim.seedMemberRole(
      account,
      'lockdown-member',
      'bench-member-id',
      SERVICES.map((s) => `arn:aws:iam::${SECURITY}:role/lockdown-${s}`),
      // The shared statements and every service's own, as the member template has them.
      memberPolicy,
    );
  seed(sim, requests);
  sim.rateLimits = budgetRateLimits();
  sim.latencyMs = options.latencyMs;
  const [flooded, ...others] = accounts;
  const pipeline = await LocalPipeline.start({
    securityAccount: SECURITY,
    memberAccount: flooded!,
    moreMemberAccounts: others,
    memberRole: 'lockdown-member',
    memberExternalId: 'bench-member-id',
    externalId: 'bench-external-id',
    settings: { untrackedWindowSeconds: 2 },
    // Containment alone: with no watch schedule the sweep would run inside each containment's invocation,
    // and 800 sweeps of one account share its LookupEvents budget of 2 requests/s (the sweep's own bench measures it).
    sweep: false,
    // Longer than any batch takes (the stacks: 6 × the function timeout), so no batch is delivered twice.
    visibilityTimeoutSeconds: 120,
    maxAttempts: 5,
    region: options.regions[0]!,
    fair,
  });
  try {
    const flood = requests.filter((r) => r.flood);
    const quiet = requests.filter((r) => !r.flood).sort((a, b) => a.at! - b.at!);
    const published = new Map<string, { at: number; requestId: string }>();
    const started = performance.now();
    await pipeline.publish(
      flood.map((r) => r.arn),
      'bench-external-id',
      'contain',
      (done, all) => done % 1000 === 0 && progress(`${fair ? 'fair' : 'oldest first'}: published ${done}/${all} of the flood`),
    );
    const contained = new Map<string, number>();
    const publishing: Array<Promise<unknown>> = [];
    let floodContained = 0;
    let lastProgress = performance.now();
    // The quiet requests arrive once the intake has dispatched the flood: SNS invokes the intake
    // asynchronously, oldest first (no fair queue there), so a request published during the burst waits
    // for the intake to pass it (README: the intake's sizing); the table shows how long that took.
    let dispatched: { at: number; contained: number } | undefined;
    const publishDue = () => {
      if (!dispatched && (pipeline.pollerStats()['intake']?.records ?? 0) >= flood.length)
        dispatched = { at: performance.now(), contained: floodContained };
      if (!dispatched) return;
      const { contained: from } = dispatched;
      while (quiet.length > 0 && from + quiet[0]!.at! * (flood.length - from) <= floodContained) {
        const r = quiet.shift()!;
        const at = performance.now();
        publishing.push(
          pipeline.publish([r.arn], 'bench-external-id', 'contain').then(([result]) => {
            if (result?.messageId) published.set(r.arn, { at, requestId: result.messageId });
          }),
        );
      }
    };
    const floodArns = new Set(flood.map((r) => r.arn));
    const onEmail = (email: AuditEmail) => {
      for (const arn of containedArns([email]))
        if (!contained.has(arn)) {
          contained.set(arn, performance.now());
          lastProgress = performance.now();
          if (floodArns.has(arn)) floodContained += 1;
          if (contained.size % 250 === 0)
            progress(
              `${fair ? 'fair' : 'oldest first'}: contained ${contained.size}/${requests.length} after ${((performance.now() - started) / 1000).toFixed(0)} s`,
            );
        }
      publishDue();
    };
    await pipeline
      .waitFor(
        () => {
          publishDue();
          return contained.size >= requests.length || performance.now() - lastProgress > 120_000;
        },
        Date.now() + 4 * 3600_000,
        onEmail,
      )
      .catch((error: Error) => progress(error.message.split('\n')[0]!));
    await Promise.all(publishing);
    const totalSeconds = (performance.now() - started) / 1000;
    const bounds = API_BUDGETS.map((budget) => {
      const service = budget.serviceId.toLowerCase();
      const needed = sim.calls.filter(
        (c) =>
          c.service === service &&
          !c.error &&
          c.accountId === flooded &&
          (service === 'iam' || c.region === options.regions[0]) &&
          (!budget.mutatingOnly || !isReadOnlyOperation(c.operation)),
      );
      const byOperation: Record<string, number> = {};
      for (const c of needed) byOperation[c.operation] = (byOperation[c.operation] ?? 0) + 1;
      return {
        api: budget.serviceId,
        needed: needed.length,
        byOperation,
        seconds: Math.max(0, needed.length - budget.capacity) / budget.refillPerSecond,
      };
    });
    const bound = bounds.reduce((a, b) => (b.seconds > a.seconds ? b : a));
    // The first effect: the first change a request's role session made (its name carries the request id).
    const firstChange = new Map<string, number>();
    for (const c of sim.calls)
      if (!c.error && c.sessionName && c.service !== 'sts' && !isReadOnlyOperation(c.operation)) {
        const requestId = c.sessionName.split('-').slice(-5).join('-');
        if (!firstChange.has(requestId)) firstChange.set(requestId, c.at);
      }
    const typeOf = new Map(requests.map((r) => [r.arn, r.type]));
    const quietFigures = [...published].map(([arn, p]) => ({
      type: typeOf.get(arn)!,
      firstEffect: ((firstChange.get(p.requestId) ?? Number.NaN) - p.at) / 1000,
      contained: ((contained.get(arn) ?? Number.NaN) - p.at) / 1000,
    }));
    const lost = requests.filter((r) => !contained.has(r.arn)).map((r) => r.arn);
    const stats = pipeline.pollerStats();
    return {
      fair,
      totalSeconds: Math.round(totalSeconds * 10) / 10,
      lowerBoundSeconds: Math.round(bound.seconds * 10) / 10,
      ratio: Math.round((totalSeconds / Math.max(bound.seconds, 0.001)) * 100) / 100,
      floodDispatchedSeconds: Math.round(((dispatched?.at ?? Number.NaN) - started) / 100) / 10,
      bottleneck: `${bound.api} in ${flooded} ${options.regions[0]} (${bound.needed} calls)`,
      bottleneckCalls: bound.byOperation,
      quiet: {
        requests: quietFigures.length,
        firstEffect: {
          p50: percentile(quietFigures.map((q) => q.firstEffect).filter(Number.isFinite), 50),
          p99: percentile(quietFigures.map((q) => q.firstEffect).filter(Number.isFinite), 99),
        },
        contained: {
          p50: percentile(quietFigures.map((q) => q.contained).filter(Number.isFinite), 50),
          p99: percentile(quietFigures.map((q) => q.contained).filter(Number.isFinite), 99),
        },
        containedP99ByType: Object.fromEntries(
          TYPES.map((t) => [
            t,
            percentile(
              quietFigures
                .filter((q) => q.type === t)
                .map((q) => q.contained)
                .filter(Number.isFinite),
              99,
            ),
          ]),
        ),
      },
      throttlingErrors: { ...sim.throttledByAccount },
      lost: lost.length,
      lostEntities: lost,
      deadLettered: await pipeline.deadLetters(),
      redeliveries: Object.values(stats).reduce((sum, s) => sum + s.failures, 0),
      eventLoopDelayMs: { p99: Math.round(lag.percentile(99) / 1e6), max: Math.round(lag.max / 1e6) },
      redelivered: Object.fromEntries(Object.entries(stats).map(([queue, s]) => [queue, s.redelivered])),
    };
  } finally {
    lag.disable();
    await pipeline.stop();
    uninstall();
  }
}

/** One run in a child process (`org-child.ts`), the bench's environment and loader (tsx) passed on. */
function inOwnProcess(options: OrgOptions, fair: boolean, progress: (text: string) => void): Promise<OrgRun> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'org-child.ts'), { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    let settled = false;
    child.on('message', (message: { progress?: string; run?: OrgRun; error?: string }) => {
      if (message.progress) progress(message.progress);
      if (message.run) {
        settled = true;
        resolve(message.run);
      }
      if (message.error) {
        settled = true;
        reject(new Error(`the ${fair ? 'fair' : 'oldest-first'} run failed: ${message.error}`));
      }
    });
    child.on('exit', (code) => {
      if (!settled) reject(new Error(`the ${fair ? 'fair' : 'oldest-first'} run's process exited with ${code}`));
    });
    child.send({ options, fair });
  });
}

/**
 * `npm run bench -- --org`: an organization's requests through the local pipeline, the sandbox
 * enforcing each account and region's API budgets: most from one account and region (a flood), the
 * rest from the other accounts while it runs. Once with the services' queues fair (grouped by
 * account), once oldest first, side by side.
 */
export async function benchOrg(options: OrgOptions, progress: (text: string) => void = () => undefined): Promise<OrgFigures> {
  const started = performance.now();
  const requests = orgRequests(options);
  // Side by side: each configuration in a process of its own, at the same time (one run's time, not two).
  const runs = await Promise.all([true, false].map((fair) => inOwnProcess(options, fair, progress)));
  const byType: Record<string, number> = {};
  for (const r of requests) byType[r.type] = (byType[r.type] ?? 0) + 1;
  return {
    requests: {
      total: requests.length,
      accounts: options.accounts,
      regions: options.regions,
      flood: requests.filter((r) => r.flood).length,
      quiet: requests.filter((r) => !r.flood).length,
      byType,
    },
    latencyMs: options.latencyMs,
    budgets: API_BUDGETS.map((b) => ({ api: b.serviceId, capacity: b.capacity, refillPerSecond: b.refillPerSecond, source: b.source })),
    runs,
    durationSeconds: Math.round((performance.now() - started) / 1000),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
