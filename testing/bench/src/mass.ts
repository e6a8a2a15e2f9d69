import { SERVICES } from '@lockdown/contracts';
import { memberPolicy } from '@lockdown/services';
import { SimulatedAws, budgetRateLimits } from '@lockdown/sandbox';
import { AuditEmail, LocalPipeline } from '@lockdown/drill';

/** Entities with a CONTAINED email (a redelivered message may send a second one). */
/** The ARNs of the entities whose CONTAINED audit email was sent. */
export const containedArns = (emails: AuditEmail[]) =>
  new Set(emails.filter((e) => e.subject.startsWith('[lockdown] CONTAINED ')).map((e) => /^ARN:\s+(\S+)/m.exec(e.body)?.[1] ?? e.subject));
const containedEntities = (emails: AuditEmail[]) => containedArns(emails).size;

export interface MassFigures {
  requests: Record<string, number>;
  limits: Array<{ service: string; scope: string; capacity: number; refillPerSecond: number; source: string }>;
  time: 'real';
  totalSeconds: number;
  lowerBoundSeconds: number;
  /** Requests never contained, and their entities: the benchmark fails when there is one. */
  lost: number;
  lostEntities: string[];
  ratio: number;
  bottleneck: string;
  /** The bottleneck's successful calls by operation (what the lower bound counts). */
  bottleneckCalls: Record<string, number>;
  deadLettered: number;
  /** Audit `failed` emails by reason code (a failure that a retry later fixed still sent one). */
  failedAudits: Record<string, number>;
  throttlingErrors: Record<string, number>;
  redeliveries: number;
  /** For the picture: each entity's first CONTAINED report, in seconds from the first publish (sorted). */
  containedOverTime: number[];
  /** The bottleneck's bucket: by time t it allows capacity + refill × t of the calls the run needed. */
  bottleneckLimit: { capacity: number; refillPerSecond: number };
}

const MEMBER = '111111111111';
const REGION = 'us-east-1';
/** AWS's budgets, as lockdown paces itself within them and the sandbox enforces them. */
const LIMITS = budgetRateLimits().map((l) => ({ ...l, scope: l.mutatingOnly ? 'mutating calls' : 'all control-plane calls' }));

/** Seeds the member account with `counts` entities, directly in the sandbox; returns their ARNs. */
function seed(sim: SimulatedAws, counts: Record<string, number>): string[] {
  const arns: string[] = [];
  const iam = (op: string, input: object) => sim.seed(MEMBER, 'iam', op, input);
  for (let i = 0; i < counts['iam-user']!; i += 1) {
    iam('CreateUser', { UserName: `u${i}`, Path: '/' });
    iam('CreateAccessKey', { UserName: `u${i}` });
    arns.push(`arn:aws:iam::${MEMBER}:user/u${i}`);
  }
  for (let i = 0; i < counts['iam-role']!; i += 1) {
    iam('CreateRole', { RoleName: `r${i}`, Path: '/app/', AssumeRolePolicyDocument: '{"Statement":[]}' });
    arns.push(`arn:aws:iam::${MEMBER}:role/app/r${i}`);
  }
  // Five functions per execution role (a role's inline policies share a 10,240-byte quota).
  for (let i = 0; i < counts['lambda-function']!; i += 1) {
    if (i % 5 === 0) iam('CreateRole', { RoleName: `exec${i / 5}`, Path: '/', AssumeRolePolicyDocument: '{"Statement":[]}' });
    sim.seed(
      MEMBER,
      'lambda',
      'CreateFunction',
      { FunctionName: `f${i}`, Role: `arn:aws:iam::${MEMBER}:role/exec${Math.floor(i / 5)}` },
      REGION,
    );
    arns.push(`arn:aws:lambda:${REGION}:${MEMBER}:function:f${i}`);
  }
  const ec2 = (op: string, input: object) => sim.seed(MEMBER, 'ec2', op, input, REGION);
  const { Vpc } = ec2('CreateVpc', {});
  const { Subnet } = ec2('CreateSubnet', { VpcId: Vpc.VpcId });
  for (let i = 0; i < counts['ec2-instance']!; i += 1) {
    const { Instances } = ec2('RunInstances', { SubnetId: Subnet.SubnetId });
    arns.push(`arn:aws:ec2:${REGION}:${MEMBER}:instance/${Instances[0].InstanceId}`);
  }
  return arns;
}

/**
 * 1,000 mixed requests through the local pipeline, with the sandbox enforcing AWS's published
 * rate limits, in real time. The lower bound is what the limits allow for the calls that were
 * needed: max over limits of (calls - burst) / refill.
 */
export async function benchMass(total = 1000, progress: (text: string) => void = () => undefined): Promise<MassFigures> {
  const counts = {
    'iam-user': Math.round(total * 0.45),
    'iam-role': Math.round(total * 0.3),
    'lambda-function': Math.round(total * 0.15),
    'ec2-instance': 0,
  };
  counts['ec2-instance'] = total - counts['iam-user'] - counts['iam-role'] - counts['lambda-function'];
  const sim = new SimulatedAws();
  const uninstall = sim.install();
  sim.homeAccountId = '999999999999';
  sim.seedMemberRole(
    MEMBER,
    'lockdown-member',
    'bench-member-id',
    SERVICES.map((s) => `arn:aws:iam::999999999999:role/lockdown-${s}`),
    memberPolicy,
  );
  const arns = seed(sim, counts);
  sim.rateLimits = LIMITS;
  const pipeline = await LocalPipeline.start({
    securityAccount: '999999999999',
    memberAccount: MEMBER,
    memberRole: 'lockdown-member',
    memberExternalId: 'bench-member-id',
    externalId: 'bench-external-id',
    settings: { untrackedWindowSeconds: 2 },
    visibilityTimeoutSeconds: 5,
    maxAttempts: 5,
    region: REGION,
  });
  try {
    const started = performance.now();
    await pipeline.publish(arns, 'bench-external-id', 'contain', (done, all) => done % 200 === 0 && progress(`published ${done}/${all}`));
    let reported = 0;
    let lastProgress = performance.now();
    const firstContained = new Map<string, number>();
    const onEmail = (email: AuditEmail) => {
      for (const arn of containedArns([email])) if (!firstContained.has(arn)) firstContained.set(arn, (performance.now() - started) / 1000);
    };
    // Done when every request is contained, or when nothing has moved for two minutes (then the rest is lost).
    await pipeline
      .waitFor(
        (emails) => {
          const contained = containedEntities(emails);
          if (contained > reported) lastProgress = performance.now();
          if (Math.floor(contained / 100) > Math.floor(reported / 100))
            progress(`contained ${contained}/${total} after ${((performance.now() - started) / 1000).toFixed(0)} s`);
          reported = contained;
          return contained >= total || performance.now() - lastProgress > 120_000;
        },
        Date.now() + 30 * 60_000,
        onEmail,
      )
      .catch((error: Error) => progress(error.message.split('\n')[0]!));
    const totalSeconds = (performance.now() - started) / 1000;
    const failedAudits: Record<string, number> = {};
    for (const email of pipeline.emails.filter((e) => e.subject.startsWith('[lockdown] FAILED'))) {
      const code = /Reason code: ([\w-]+)/.exec(email.body)?.[1] ?? 'unknown';
      failedAudits[code] = (failedAudits[code] ?? 0) + 1;
    }
    const bounds = LIMITS.map((limit) => {
      const calls = sim.calls.filter(
        (c) => c.service === limit.service && !c.error && (!limit.mutatingOnly || !/^(Get|List|Describe)/.test(c.operation)),
      );
      const needed = calls.length;
      const byOperation: Record<string, number> = {};
      for (const c of calls) byOperation[c.operation] = (byOperation[c.operation] ?? 0) + 1;
      return { service: limit.service, seconds: Math.max(0, needed - limit.capacity) / limit.refillPerSecond, needed, byOperation };
    });
    const bound = bounds.reduce((a, b) => (b.seconds > a.seconds ? b : a));
    const limit = LIMITS.find((l) => l.service === bound.service)!;
    const stats = pipeline.pollerStats();
    const contained = containedArns(pipeline.emails);
    const lost = arns.filter((arn) => !contained.has(arn));
    return {
      requests: counts,
      limits: LIMITS.map(({ service, scope, capacity, refillPerSecond, source }) => ({
        service,
        scope,
        capacity,
        refillPerSecond,
        source,
      })),
      time: 'real',
      totalSeconds: Math.round(totalSeconds * 10) / 10,
      lowerBoundSeconds: Math.round(bound.seconds * 10) / 10,
      ratio: Math.round((totalSeconds / Math.max(bound.seconds, 0.001)) * 100) / 100,
      bottleneck: `${bound.service} (${bound.needed} calls)`,
      bottleneckCalls: bound.byOperation,
      lost: lost.length,
      lostEntities: lost,
      deadLettered: await pipeline.deadLetters(),
      failedAudits,
      throttlingErrors: { ...sim.throttled },
      redeliveries: Object.values(stats).reduce((sum, s) => sum + s.failures, 0),
      containedOverTime: [...firstContained.values()].map((t) => Math.round(t * 10) / 10).sort((a, b) => a - b),
      bottleneckLimit: { capacity: limit.capacity, refillPerSecond: limit.refillPerSecond },
    };
  } finally {
    await pipeline.stop();
    uninstall();
  }
}
