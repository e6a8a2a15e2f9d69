import { isDeepStrictEqual } from 'node:util';
import { RequestContext, boundaryPolicies, decide, deniesEverything, policiesOf } from '@lockdown/sandbox';
import { memberPolicy } from '@lockdown/services';
import { SECURITY_ACCOUNT } from './drill-accounts';
import type { DrillFixtures } from './member-api';
import type { Snapshot } from './run-drill';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** Whether the principal's policies and boundary, as read from the member account, deny these credentials everything (iam-simulate). */
const deniedBy = (
  principal: { arn: string; attached: string[]; inline: Record<string, object>; boundary: string | null },
  context: RequestContext = {},
) => deniesEverything(principal.arn, policiesOf(principal), context, boundaryPolicies(principal.boundary ?? undefined));

/** What "contained" means for each entity, read from the member account, not from lockdown. */
export async function containmentChecks(fx: DrillFixtures, s: Snapshot): Promise<Check[]> {
  const ownInterfaces = Object.values(s.instance.interfaces);
  const isolated = ownInterfaces.every((i) => {
    const group = i.groups.length === 1 ? s.instanceGroups[i.groups[0]!] : undefined;
    return group !== undefined && group.ingress === 0 && group.egress === 0 && group.managed;
  });
  const [user, role, fn, healthy, instance, neighbour, session, otherSession] = await Promise.all([
    deniedBy(s.user),
    deniedBy(s.role),
    deniedBy(s.sharedRole, { sourceFunctionArn: fx.compromisedFunction.arn }),
    deniedBy(s.sharedRole, { sourceFunctionArn: fx.healthyFunction.arn }),
    deniedBy(s.profileRole, { sourceInstanceArn: fx.instance.arn }),
    deniedBy(s.profileRole, { sourceInstanceArn: fx.instance.neighbourArn }),
    deniedBy(s.sharedRole, { userId: `${s.sharedRole.id}:${fx.session.name}` }),
    deniedBy(s.sharedRole, { userId: `${s.sharedRole.id}:ci-deploy` }),
  ]);
  return [
    {
      name: 'IAM user denied (deny-all in effect)',
      ok: user,
      detail: `boundary ${s.user.boundary}; attached ${s.user.attached.join(', ')}; inline ${Object.keys(s.user.inline).join(', ')}`,
    },
    {
      name: 'IAM user: every access key inactive',
      ok: Object.values(s.user.keys).every((k) => k === 'Inactive'),
      detail: JSON.stringify(s.user.keys),
    },
    {
      name: 'IAM role with a path denied',
      ok: role,
      detail: `boundary ${s.role.boundary}; inline ${Object.keys(s.role.inline).join(', ')}`,
    },
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
    {
      name: 'Lambda mappings tagged lockdown:containment (what the organization guard freezes)',
      ok: Object.values(s.compromised.mappingTags).every((tags) => 'lockdown:containment' in tags),
      detail: JSON.stringify(s.compromised.mappingTags),
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
    {
      name: 'EC2: the instance and each interface tagged lockdown:containment (what the organization guard keys on)',
      ok: 'lockdown:containment' in s.instance.tags && ownInterfaces.every((i) => 'lockdown:containment' in i.tags),
      detail: ownInterfaces.map((i) => JSON.stringify(i.tags)).join(' '),
    },
    { name: 'role session denied (aws:userid)', ok: session, detail: fx.session.arn },
    { name: 'another session of the same role keeps working', ok: !otherSession, detail: `${fx.sharedRole}/ci-deploy` },
  ];
}

/**
 * The bucket, read back from the member account, judged by AWS's evaluation logic (iam-simulate)
 * with its policy as the resource policy: an administrator of the account is denied, lockdown's
 * member role can still release it.
 */
export async function bucketChecks(fx: DrillFixtures, s: Snapshot, account: string, memberRole: string): Promise<Check[]> {
  const resourcePolicy = s.bucket.policy ?? undefined;
  const decision = (principal: string, policies: Array<{ name: string; policy: unknown }>, action: string, resource: string) =>
    decide(principal, account, policies, {
      action,
      resource,
      context: { 's3:ResourceAccount': account },
      ...(resourcePolicy ? { resourcePolicy } : {}),
    });
  const admin = [{ name: 'admin', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }];
  const member = [
    {
      name: 'member',
      policy: memberPolicy({ partition: 'aws', account, memberRoleName: memberRole, securityAccountId: SECURITY_ACCOUNT }),
    },
  ];
  const [read, write, release] = await Promise.all([
    decision(`arn:aws:iam::${account}:role/workload-admin`, admin, 's3:GetObject', `${fx.bucket.arn}/report.csv`),
    decision(`arn:aws:iam::${account}:role/workload-admin`, admin, 's3:PutBucketPolicy', fx.bucket.arn),
    decision(`arn:aws:iam::${account}:role/${memberRole}`, member, 's3:PutBucketPolicy', fx.bucket.arn),
  ]);
  const pab = s.bucket.publicAccessBlock as Record<string, boolean> | null;
  return [
    {
      name: 'S3 bucket: an administrator of the account can neither read nor change it',
      ok: read === 'ExplicitlyDenied' && write === 'ExplicitlyDenied',
      detail: `GetObject ${read}, PutBucketPolicy ${write}`,
    },
    { name: "S3 bucket: lockdown's member role can still release it", ok: release === 'Allowed', detail: `PutBucketPolicy ${release}` },
    {
      name: 'S3 bucket: public access blocked, ACLs off, the partner statement kept',
      ok:
        pab !== null &&
        ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'].every((k) => pab[k] === true) &&
        s.bucket.ownership === 'BucketOwnerEnforced' &&
        JSON.stringify(s.bucket.policy).includes('PartnerReads'),
      detail: JSON.stringify({ publicAccessBlock: pab, ownership: s.bucket.ownership }),
    },
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
    ['S3 bucket restored exactly', before.bucket, after.bucket],
  ];
  return entries.map(([name, a, b]) => ({
    name,
    ok: isDeepStrictEqual(a, b),
    detail: isDeepStrictEqual(a, b) ? '' : `before ${JSON.stringify(a)}\nafter  ${JSON.stringify(b)}`,
  }));
}
