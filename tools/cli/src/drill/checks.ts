import { isDeepStrictEqual } from 'node:util';
import { RequestContext, deniesEverything, policiesOf } from '@lockdown/sandbox';
import type { DrillFixtures } from './member-api';
import type { Snapshot } from './run-drill';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** Whether the principal's policies, as read from the member account, deny these credentials everything (iam-simulate). */
const deniedBy = (principal: { arn: string; attached: string[]; inline: Record<string, object> }, context: RequestContext = {}) =>
  deniesEverything(principal.arn, policiesOf(principal), context);

/** What "contained" means for each entity, read from the member account, not from lockdown. */
export async function containmentChecks(fx: DrillFixtures, s: Snapshot): Promise<Check[]> {
  const ownInterfaces = Object.values(s.instance.interfaces);
  const isolated = ownInterfaces.every((i) => {
    const group = i.groups.length === 1 ? s.instanceGroups[i.groups[0]!] : undefined;
    return group !== undefined && group.ingress === 0 && group.egress === 0 && group.managed;
  });
  const [user, role, fn, healthy, instance, neighbour] = await Promise.all([
    deniedBy(s.user),
    deniedBy(s.role),
    deniedBy(s.sharedRole, { sourceFunctionArn: fx.compromisedFunction.arn }),
    deniedBy(s.sharedRole, { sourceFunctionArn: fx.healthyFunction.arn }),
    deniedBy(s.profileRole, { sourceInstanceArn: fx.instance.arn }),
    deniedBy(s.profileRole, { sourceInstanceArn: fx.instance.neighbourArn }),
  ]);
  return [
    {
      name: 'IAM user denied (deny-all in effect)',
      ok: user,
      detail: `attached ${s.user.attached.join(', ')}; inline ${Object.keys(s.user.inline).join(', ')}`,
    },
    {
      name: 'IAM user: every access key inactive',
      ok: Object.values(s.user.keys).every((k) => k === 'Inactive'),
      detail: JSON.stringify(s.user.keys),
    },
    { name: 'IAM role with a path denied', ok: role, detail: `inline ${Object.keys(s.role.inline).join(', ')}` },
    {
      name: 'Lambda function cannot run (reserved concurrency 0)',
      ok: s.compromised.reservedConcurrency === 0,
      detail: `reserved ${s.compromised.reservedConcurrency}`,
    },
    {
      name: 'Lambda mappings disabled',
      ok: Object.values(s.compromised.mappings).every((m) => m === 'Disabled'),
      detail: JSON.stringify(s.compromised.mappings),
    },
    { name: "Lambda function's credentials denied on the shared role", ok: fn, detail: fx.sharedRole },
    {
      name: 'the healthy function sharing the role keeps working',
      ok: !healthy && s.healthy.reservedConcurrency === null,
      detail: fx.healthyFunction.name,
    },
    { name: "EC2 instance's credentials denied", ok: instance, detail: fx.instance.profileRole },
    { name: 'another instance with the same profile keeps its credentials', ok: !neighbour, detail: fx.instance.neighbourArn },
    {
      name: `EC2: all ${ownInterfaces.length} interfaces in an isolation group with no rules`,
      ok: ownInterfaces.length === 2 && isolated,
      detail: JSON.stringify(s.instance.interfaces),
    },
    { name: 'EC2: termination protection on', ok: s.instance.terminationProtection, detail: '' },
  ];
}

/** After release, every entity must be exactly as it was. */
export function sameState(before: Snapshot, after: Snapshot): Check[] {
  const entries: Array<[string, unknown, unknown]> = [
    ['IAM user restored exactly', before.user, after.user],
    ['IAM role restored exactly', before.role, after.role],
    ['Lambda function restored exactly', before.compromised, after.compromised],
    ['shared execution role restored exactly', before.sharedRole, after.sharedRole],
    ['EC2 instance restored exactly', before.instance, after.instance],
    ['instance-profile role restored exactly', before.profileRole, after.profileRole],
  ];
  return entries.map(([name, a, b]) => ({
    name,
    ok: isDeepStrictEqual(a, b),
    detail: isDeepStrictEqual(a, b) ? '' : `before ${JSON.stringify(a)}\nafter  ${JSON.stringify(b)}`,
  }));
}
