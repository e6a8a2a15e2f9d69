import {
  DescribeIamInstanceProfileAssociationsCommand,
  DetachNetworkInterfaceCommand,
  ReplaceIamInstanceProfileAssociationCommand,
} from '@aws-sdk/client-ec2';
import {
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetUserCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { CONTAINMENT_TAG } from '@lockdown/contracts';
import { SimulatedAws } from '@lockdown/sandbox';
import { isDeepStrictEqual } from 'node:util';
import type { Check } from '../checks';
import { Progress, SILENT_PROGRESS } from '@lockdown/cli';
import { AuditEmail, DRILL_BREAK_GLASS_ROLE, LocalPipeline, countEntities, everyEntityHas } from '../local-pipeline';
import { MemberClients, readFunction, readInstance, readPrincipal } from '../member-api';
import {
  EXTERNAL_ID,
  MEMBER_EXTERNAL_ID,
  MEMBER_ROLE,
  REGION,
  SANDBOX_MEMBER_ACCOUNT,
  SECURITY_ACCOUNT,
  drillEnvironment,
  fixtureClients,
  seedSandboxMember,
} from '../drill-accounts';
import { Configuration, ESCAPES, EscapeId, EscapeRow, OUTCOMES, asExpected, callsOutcome } from './escape-verdict';
import {
  attempt,
  deleteFunction,
  emailsAbout,
  generateSampleFinding,
  interfaceGroups,
  openInstanceDoors,
  pressReleaseAction,
  reasonCode,
  releaseThroughIngress,
  tagBreakGlass,
  takeOverMemberRole,
  untagInAnotherCasing,
} from './escapes';
import { ROLE_INLINE_QUOTA, prepare } from './readme-scene';
import { clientsFor } from './targets';

export interface ReadmeAttackerOptions {
  guard: boolean;
  /** The tamper watch's schedule, seconds after containment (escape 2 waits for its first tick). */
  watchSchedule: number[];
  timeoutSeconds: number;
  progress?: Progress;
}

export interface ReadmeAttackerReport {
  configuration: Configuration;
  rows: EscapeRow[];
  checks: Check[];
  emails: AuditEmail[];
  passed: boolean;
}

/**
 * The README attacker, one configuration: the second administrator (made before containment) tries
 * every escape lockdown's README makes visible, each once, independent ones at the same time; then
 * what it changed is put back through the drill's own administrator, every entity is released and
 * must be exactly as before, and the member role too. IAM's propagation delay is not modelled
 * here (the first campaign measures it): each escape meets lockdown as it stands once contained.
 */
export async function runReadmeAttacker(options: ReadmeAttackerOptions): Promise<ReadmeAttackerReport> {
  const progress = options.progress ?? SILENT_PROGRESS;
  const configuration: Configuration = options.guard ? 'guard' : 'watch only';
  const sandbox = new SimulatedAws();
  const uninstall = sandbox.install();
  const restoreEnv = drillEnvironment();
  let pipeline: LocalPipeline | undefined;
  try {
    seedSandboxMember(sandbox, options.guard);
    const c = fixtureClients(SANDBOX_MEMBER_ACCOUNT);
    progress.say(
      `${configuration}: the README attacker prepares (a second administrator, a lockdown-* role, squatted groups, padded policies)`,
    );
    const scene = await prepare(c);
    const memberBefore = await readMember(c);
    pipeline = await LocalPipeline.start({
      securityAccount: SECURITY_ACCOUNT,
      memberAccount: SANDBOX_MEMBER_ACCOUNT,
      memberRole: MEMBER_ROLE,
      memberExternalId: MEMBER_EXTERNAL_ID,
      externalId: EXTERNAL_ID,
      settings: { untrackedWindowSeconds: 1, watchSchedule: options.watchSchedule },
      region: REGION,
    });
    const p = pipeline;
    const started = Date.now();
    const deadline = started + options.timeoutSeconds * 1000;
    const contained = [scene.user.arn, scene.backdoorRole.arn, scene.padded.arn, scene.doomed.arn, scene.instance.arn];
    const reads = {
      [scene.user.arn]: () => readPrincipal(c.iam, 'user', scene.user.name),
      [scene.padded.arn]: () => readFunction(c.lambda, scene.padded.arn),
      [scene.instance.arn]: () => readInstance(c.ec2, scene.instance.id),
      [scene.backdoorRole.arn]: () => readPrincipal(c.iam, 'role', scene.backdoorRole.name),
    };
    const before = await Promise.all(Object.values(reads).map((read) => read()));
    await p.publish(contained, EXTERNAL_ID, 'contain');
    // The padded function's containment cannot complete: the escapes start once the others are contained.
    const first = contained.filter((arn) => arn !== scene.padded.arn);
    await progress.during(
      `${configuration}: containing five entities, one of them the attacker's lockdown-backdoor`,
      () => `${countEntities(p.emails, 'CONTAINED', 'FAILED', 'REJECTED')} of ${contained.length} settled`,
      p.waitFor((emails) => first.every((arn) => settled(emails, arn)), deadline),
    );
    const rows: EscapeRow[] = [];
    const row = (escape: EscapeId, outcome: string, detail: string) => rows.push({ escape, configuration, outcome, detail });

    // The escapes on contained entities, and the messages to lockdown, all at once.
    const releaseAsContain = releaseThroughIngress(p, scene.user.arn);
    const [untag, breakGlass, doors, deletion, buttonRules, sample] = await Promise.all([
      untagInAnotherCasing(scene.admin, scene.user.name),
      tagBreakGlass(scene.admin, DRILL_BREAK_GLASS_ROLE),
      openInstanceDoors(scene.admin, scene.instance.id, scene.instance.subnet, scene.instance.group, scene.instance.attackerProfile),
      deleteFunction(scene.admin, scene.doomed.arn),
      pressReleaseAction(p, scene.user.arn),
      generateSampleFinding(p, scene.padded.arn),
    ]);
    await releaseAsContain;
    // The watch's first tick, and the requests above, have had their time.
    const escapedAt = Date.now();
    await progress.during(
      `${configuration}: escapes tried; waiting for the tamper watch's first tick`,
      () => `${p.emails.length} audit emails`,
      p.waitFor(
        (emails) =>
          Date.now() - escapedAt > (options.watchSchedule[0]! + 2) * 1000 &&
          // Without the guard the untagging took effect: its TAMPERED report, unless the last tick is long past (a loaded machine runs ticks late).
          (options.guard ||
            emailsAbout(emails, 'TAMPERED', `ARN:         ${scene.user.arn}`).length > 0 ||
            Date.now() - escapedAt > (Math.max(...options.watchSchedule) + 5) * 1000) &&
          emailsAbout(emails, 'REJECTED', scene.user.arn).length > 0 &&
          emailsAbout(emails, 'IGNORED', sample.findingId).length > 0 &&
          // A containment that cannot complete is retried until it is dead-lettered: released only after.
          [scene.padded.arn, scene.instance.arn].every((arn) => settled(emails, arn) && !stillRetried(emails, arn)),
        deadline,
      ),
    );
    const emails = p.emails;
    const tampered = (arn: string) => emailsAbout(emails, 'TAMPERED', `ARN:         ${arn}`).length > 0;

    const userTags = (await c.iam.send(new GetUserCommand({ UserName: scene.user.name }))).User?.Tags ?? [];
    const tagBack = userTags.some((t) => t.Key === CONTAINMENT_TAG);
    row(
      'tag-casing',
      callsOutcome(configuration, untag, tampered(scene.user.arn) && tagBack),
      untag[0] === 'allowed'
        ? `IAM removed ${CONTAINMENT_TAG} (case-insensitive keys); ${tagBack ? 'the watch re-tagged (TAMPERED)' : 'still gone'}`
        : 'the guard denies any casing of a lockdown:* key',
    );
    // What the tag does to the break-glass role: a session of it reads its own role.
    const breakGlassSession = clientsFor(sandbox.issueSession(SANDBOX_MEMBER_ACCOUNT, DRILL_BREAK_GLASS_ROLE, 'responder'));
    const breakGlassWorks = await attempt(breakGlassSession.iam.send(new GetRoleCommand({ RoleName: DRILL_BREAK_GLASS_ROLE })));
    row(
      'break-glass-tag',
      callsOutcome(configuration, breakGlass),
      `${DRILL_BREAK_GLASS_ROLE} ${breakGlass[0] === 'allowed' ? 'tagged' : 'untouched'}; its session's GetRole ${breakGlassWorks}${breakGlass[0] === 'allowed' ? ' (only a guard keys on the tag)' : ''}`,
    );
    const instanceProfile = await c.ec2.send(
      new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: [scene.instance.id] }] }),
    );
    row(
      'instance-doors',
      callsOutcome(configuration, doors.results),
      `attach ${doors.results[0]}, replace profile ${doors.results[1]}${doors.results.includes('allowed') ? `; the watch ${tampered(scene.instance.arn) ? 'reported TAMPERED' : 'did not notice'}` : ''}`,
    );
    const functionLeft = await attempt(c.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: scene.doomed.arn })));
    row(
      'delete-function',
      callsOutcome(configuration, deletion),
      functionLeft === 'allowed' ? 'still there, concurrency 0' : 'gone, and the evidence with it',
    );
    const rejected = emailsAbout(emails, 'REJECTED', scene.user.arn)[0];
    const released = emailsAbout(emails, 'RELEASED', `ARN:         ${scene.user.arn}`).length > 0;
    row(
      'release-as-contain',
      rejected && !released ? OUTCOMES.refusedByLockdown(reasonCode(rejected) ?? 'no code') : released ? OUTCOMES.tookEffect : 'no answer',
      `Action=release on the ingress topic, right ExternalId; the user ${released ? 'released' : 'stays contained'}`,
    );
    row(
      'release-button',
      buttonRules.length === 0 && !released ? OUTCOMES.ignored : released ? OUTCOMES.tookEffect : `matched ${buttonRules.join(', ')}`,
      buttonRules.length === 0 ? 'no rule matches it: the release action is off unless configured' : `matched ${buttonRules.join(', ')}`,
    );
    const sampleIgnored = emailsAbout(emails, 'IGNORED', sample.findingId).length > 0;
    row(
      'sample-findings',
      sampleIgnored && emailsAbout(emails, 'CONTAINED', `Finding:     ${sample.findingId}`).length === 0 ? OUTCOMES.ignored : 'acted on',
      `IGNORED (${reasonCode(emailsAbout(emails, 'IGNORED', sample.findingId)[0]) ?? 'none'}): Backdoor:Lambda severity 8, sample: true`,
    );
    const backdoorContained = everyEntityHas(emails, 'CONTAINED', [scene.backdoorRole.arn]);
    row(
      'lockdown-name',
      backdoorContained
        ? OUTCOMES.containedAnyway
        : (reasonCode(emailsAbout(emails, 'REJECTED', scene.backdoorRole.arn)[0]) ?? 'not contained'),
      `${scene.backdoorRole.name} (AdministratorAccess): protection is by identity, not name`,
    );
    const groupsNow = await interfaceGroups(c.ec2, scene.instance.id);
    const onSquatted = groupsNow.filter((g) => scene.squatted.includes(g));
    const instanceReport = [
      ...emailsAbout(emails, 'CONTAINED', `ARN:         ${scene.instance.arn}`),
      ...emailsAbout(emails, 'FAILED', `ARN:         ${scene.instance.arn}`),
    ][0];
    const named = scene.squatted.filter((g) => instanceReport?.body.includes(g));
    row(
      'isolation-group',
      onSquatted.length > 0
        ? "left in the attacker's group"
        : named.length === scene.squatted.length && instanceReport?.subject.startsWith('[lockdown] CONTAINED')
          ? OUTCOMES.containedAnyway
          : (instanceReport?.subject.split(' ')[1] ?? 'no report'),
      `interfaces in ${[...new Set(groupsNow)].join(', ')}${onSquatted.length ? " (the attacker's!)" : ", not the attacker's"}; the audit names ${named.join(', ') || 'nothing'}; holds ${holdingOf(instanceReport) ?? 'all'}`,
    );
    const padded = await readFunction(c.lambda, scene.padded.arn);
    const paddedReport = [
      ...emailsAbout(emails, 'CONTAINED', `ARN:         ${scene.padded.arn}`),
      ...emailsAbout(emails, 'FAILED', `ARN:         ${scene.padded.arn}`),
    ][0];
    const notApplied = (paddedReport?.body.split('\n') ?? []).filter(
      (l) => /^\s+\d+\. \[/.test(l) && !l.includes('. [applied]') && !l.includes('. [reapplied]'),
    );
    row(
      'policy-padding',
      padded.reservedConcurrency === 0 ? OUTCOMES.containedAnyway : `concurrency ${padded.reservedConcurrency}`,
      `concurrency ${padded.reservedConcurrency}; ${paddedReport?.subject.split(' ')[1] ?? 'no report'} (${reasonCode(paddedReport) ?? 'no code'}): holds ${holdingOf(paddedReport) ?? 'all'}; not ${notApplied.map((l) => /\] (.*?) of /.exec(l)?.[1]?.toLowerCase() ?? l.trim()).join('; ') || 'nothing'} (role at ${scene.paddedBytes} of ${ROLE_INLINE_QUOTA} bytes)`,
    );

    // What the attacker changed, put back by the drill's own administrator, so release can be exact.
    if (doors.attachmentId) await c.ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: doors.attachmentId }));
    const association = instanceProfile.IamInstanceProfileAssociations?.[0];
    if (association && association.IamInstanceProfile?.Arn !== scene.instance.profile)
      await c.ec2.send(
        new ReplaceIamInstanceProfileAssociationCommand({
          AssociationId: association.AssociationId!,
          IamInstanceProfile: { Arn: scene.instance.profile },
        }),
      );
    if (breakGlass[0] === 'allowed')
      await c.iam.send(new UntagRoleCommand({ RoleName: DRILL_BREAK_GLASS_ROLE, TagKeys: [CONTAINMENT_TAG] }));

    const toRelease = functionLeft === 'allowed' ? [...Object.keys(reads), scene.doomed.arn] : Object.keys(reads);
    await p.publish(toRelease, EXTERNAL_ID, 'release');
    await progress.during(
      `${configuration}: releasing`,
      () => `${countEntities(p.emails, 'RELEASED')} of ${toRelease.length} released`,
      p.waitFor((emails) => everyEntityHas(emails, 'RELEASED', toRelease), deadline),
    );
    const after = await Promise.all(Object.values(reads).map((read) => read()));

    // Last, with nothing left to contain: the member role itself.
    const takeover = await takeOverMemberRole(scene.admin, scene.backdoorArn);
    row(
      'member-role',
      callsOutcome(configuration, takeover),
      `trust the backdoor ${takeover[0]}, put a policy ${takeover[1]}${takeover.includes('allowed') ? '; put back by the drill' : ''}`,
    );
    if (takeover.includes('allowed')) await restoreMemberRole(c, memberBefore);
    const memberAfter = await readMember(c);
    const deadLetters = await p.deadLetters();
    const deadLettered = contained.filter(
      (arn) =>
        settled(p.emails, arn) && emailsAbout(p.emails, 'FAILED', arn).some((e) => e.body.includes('moved to the dead-letter queue')),
    );

    rows.sort((a, b) => Object.keys(ESCAPES).indexOf(a.escape) - Object.keys(ESCAPES).indexOf(b.escape));
    const checks: Check[] = [
      ...rows.map((r) => ({
        name: `${configuration}: ${ESCAPES[r.escape].title}: ${r.outcome}`,
        ok: asExpected(r),
        detail: r.detail,
      })),
      ...Object.keys(reads).map((arn, i) => ({
        name: `${configuration}: ${arn.split(':').slice(-1)[0]} released to exactly its state before, after the README attacker`,
        ok: isDeepStrictEqual(before[i], after[i]),
        detail: isDeepStrictEqual(before[i], after[i]) ? '' : `before ${JSON.stringify(before[i])}\nafter  ${JSON.stringify(after[i])}`,
      })),
      {
        name: `${configuration}: lockdown's member role exactly as before`,
        ok: isDeepStrictEqual(memberBefore, memberAfter),
        detail: JSON.stringify(memberAfter),
      },
      {
        // Escapes 5 and 6 leave containments lockdown cannot complete: by design they are dead-lettered (alarm) and audited FAILED.
        name: `${configuration}: nothing dead-lettered but the containments lockdown reported FAILED (audited, alarmed)`,
        ok: deadLetters <= deadLettered.length,
        detail: `${deadLetters} message(s); FAILED and dead-lettered: ${deadLettered.join(', ') || 'none'}`,
      },
    ];
    return { configuration, rows, checks, emails: p.emails, passed: checks.every((x) => x.ok) };
  } finally {
    await pipeline?.stop();
    uninstall();
    restoreEnv();
  }
}

/** What a FAILED report says holds (its step ids, without their targets). */
const holdingOf = (email: AuditEmail | undefined) =>
  /applied and holding: ([^(]*?)(?: \(|$)/m
    .exec(email?.body ?? '')?.[1]
    ?.replace(/:[^,]*/g, '')
    .trim();

/** Whether lockdown has reported the containment of this entity, either way. */
const settled = (emails: AuditEmail[], arn: string) =>
  emailsAbout(emails, 'CONTAINED', `ARN:         ${arn}`).length + emailsAbout(emails, 'FAILED', `ARN:         ${arn}`).length > 0;

/** Whether a failed containment of this entity is still on its queue (only its last attempt says it was dead-lettered). */
const stillRetried = (emails: AuditEmail[], arn: string) =>
  emailsAbout(emails, 'FAILED', `ARN:         ${arn}`).length > 0 &&
  !emailsAbout(emails, 'FAILED', `ARN:         ${arn}`).some((e) => e.body.includes('moved to the dead-letter queue'));

/** The member role as the drill compares it: trust, policies, tags. */
async function readMember(c: MemberClients) {
  const { Role } = await c.iam.send(new GetRoleCommand({ RoleName: MEMBER_ROLE }));
  return { trust: decodeURIComponent(Role!.AssumeRolePolicyDocument ?? ''), ...(await readPrincipal(c.iam, 'role', MEMBER_ROLE)) };
}

async function restoreMemberRole(c: MemberClients, before: Awaited<ReturnType<typeof readMember>>): Promise<void> {
  await c.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: MEMBER_ROLE, PolicyDocument: before.trust }));
  await c.iam.send(new DeleteRolePolicyCommand({ RoleName: MEMBER_ROLE, PolicyName: 'backdoor' }));
}

/** The README attacker in both configurations, after the first campaign: the tamper watch alone, then under the guard. */
export async function runReadmeAttackers(options: Omit<ReadmeAttackerOptions, 'guard'>): Promise<ReadmeAttackerReport[]> {
  const reports: ReadmeAttackerReport[] = [];
  for (const guard of [false, true]) reports.push(await runReadmeAttacker({ ...options, guard }));
  return reports;
}
