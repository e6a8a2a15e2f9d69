import {
  CreateRoleCommand,
  DeleteUserPolicyCommand,
  EntityAlreadyExistsException,
  IAMClient,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { isDeepStrictEqual } from 'node:util';
import type { LedgerRecord } from '@lockdown/containment';
import { CliError, EXIT } from '@lockdown/cli';
import { Progress, SILENT_PROGRESS } from '@lockdown/cli';
import {
  AuthorizationRecord,
  SampleEvent,
  SimulatedAws,
  asffFinding,
  customActionEvent,
  guardDutyFindingEvent,
  ocsfFindingEvent,
  sequenceActor,
  guardDutyResource,
} from '@lockdown/sandbox';
import { DEFAULT_TRIGGER_RULES, customActionArn } from '@lockdown/findings';
import type { PublishTarget } from '@lockdown/publishing';
import { Check, bucketChecks, containmentChecks, sameState } from './checks';
import { PollerStats } from './event-sources';
import { AuditEmail, LocalPipeline, countEmails, everyEntityHas } from './local-pipeline';
import { readLedgers } from './ledger-reads';
import { installMotoGapShims } from './moto-gaps';
import {
  EXTERNAL_ID,
  FIXTURE_ROLE,
  MEMBER_EXTERNAL_ID,
  MEMBER_ROLE,
  REGION,
  SANDBOX_MEMBER_ACCOUNT,
  SECURITY_ACCOUNT,
  drillEnvironment,
  fixtureClients,
  seedSandboxMember,
} from './drill-accounts';
import { identityCenterAccess, identityCenterChecks, identityCenterReleaseCheck, seedIdentityCenter } from './identity-center';
import { DrillFixtures, MemberClients, createFixtures, readBucket, readFunction, readInstance, readPrincipal } from './member-api';

export interface DrillOptions {
  /** Member-account APIs (IAM, STS, Lambda, EC2) at this endpoint instead of the built-in sandbox. */
  endpoint?: string;
  untrackedWindowSeconds: number;
  timeoutSeconds: number;
  /** Sandbox only: lockdown's organization guard (its SCP) over the member account, evaluated with IAM's logic. */
  guard?: boolean;
  progress?: Progress;
}

/** What the drill's attacker tried after containment, and what became of it. */
export interface TamperScore {
  /** Under lockdown's organization guard, or the tamper watch alone. */
  configuration: 'guard' | 'watch only';
  attempts: number;
  /** Refused by AWS (AccessDenied): never took effect. */
  refused: number;
  /** Took effect. */
  succeeded: number;
  /** Steps the tamper watch found undone and put back (its TAMPERED report). */
  undoneByWatch: number;
  /** From the attacker's change to the watch's TAMPERED report reaching the audit mailbox, when there was one. */
  secondsExposed?: number;
}

export interface DrillReport {
  mode: 'sandbox' | 'endpoint';
  tamper?: TamperScore;
  memberAccount: string;
  checks: Check[];
  emails: AuditEmail[];
  pollers: Record<string, PollerStats>;
  /**
   * Sandbox only: every distinct authorization of a member-account call (action, resource,
   * condition keys) and the decision iam-simulate made against the caller's policies.
   */
  authorizations?: AuthorizationRecord[];
  durationMs: number;
  passed: boolean;
  /** Each contained entity's ledger record, read once contained and once released (what `--report` draws). */
  ledgers: LedgerRecord[][];
}

/**
 * The whole pipeline on one machine: fauxqs (SNS/SQS) and dynalite (DynamoDB) on loopback, the
 * same topics, queues, DLQs and filter policies as the stacks, the unmodified intake and service
 * handlers behind local event sources, and a member account (the sandbox, or any AWS-compatible
 * endpoint). Contains five compromised entities, refuses three bad requests and a release sent to
 * the ingress topic, checks the state independently, releases everything through the release
 * topic and checks the original state is back.
 */
export async function runDrill(options: DrillOptions): Promise<DrillReport> {
  const started = Date.now();
  const progress = options.progress ?? SILENT_PROGRESS;
  const say = (text: string) => progress.say(text);
  if (options.guard && options.endpoint)
    throw new CliError('--guard needs the built-in sandbox: an emulator such as moto does not evaluate policies', EXIT.invalidInput);
  const sandbox = options.endpoint ? undefined : new SimulatedAws();
  const uninstall = sandbox ? sandbox.install() : installMotoGapShims();
  const restoreEnv = drillEnvironment(options.endpoint);

  let pipeline: LocalPipeline | undefined;
  try {
    // The member account: its role (deployed by the member stack in real life), then fixtures through the API.
    const memberAccount = sandbox
      ? SANDBOX_MEMBER_ACCOUNT
      : ((await new STSClient({}).send(new GetCallerIdentityCommand({}))).Account ?? '123456789012');
    if (sandbox) seedSandboxMember(sandbox, options.guard);
    else await Promise.all([bootstrapRole(memberAccount, MEMBER_ROLE), bootstrapRole(memberAccount, FIXTURE_ROLE)]);
    const suffix = Date.now().toString(36).slice(-6);
    const member = fixtureClients(memberAccount, options.endpoint);
    say(
      `creating the compromised entities in member account ${memberAccount}${options.endpoint ? ` at ${options.endpoint}` : ' (sandbox)'}`,
    );
    const fx = await createFixtures(member, memberAccount, REGION, suffix);
    const before = await snapshot(member, fx);
    // An Identity Center user with live sessions in two accounts (the sandbox only: moto does not provision
    // permission sets into accounts nor issue their sessions, see moto-gaps.ts).
    const identityCenter = sandbox ? seedIdentityCenter(sandbox, memberAccount) : undefined;
    const identityCenterBefore = identityCenter ? identityCenterAccess(identityCenter) : [];

    say('starting fauxqs (SNS/SQS) and dynalite (DynamoDB) on 127.0.0.1, the topics, queues and handlers');
    pipeline = await LocalPipeline.start({
      securityAccount: SECURITY_ACCOUNT,
      memberAccount,
      memberRole: MEMBER_ROLE,
      memberExternalId: MEMBER_EXTERNAL_ID,
      externalId: EXTERNAL_ID,
      // The fixtures role reads the contained bucket back: it is the drill's break-glass principal.
      settings: {
        untrackedWindowSeconds: options.untrackedWindowSeconds,
        // The tamper watch, at drill speed: 2, 8 and 20 seconds after each containment.
        watchSchedule: [2, 8, 20],
        s3BreakGlassPrincipals: [`arn:aws:iam::${memberAccount}:role/${FIXTURE_ROLE}`],
        // The Security Hub release action is off unless configured: the drill turns it on, and releases the user with it.
        // It reads Security Hub CSPM's OCSF findings too, and its policy contains (where the default suggests) the
        // credentials attack sequence and the public-bucket control S3.8, so that both are shown to containment.
        triggers: { securityHubRelease: true, securityHubV2: ['securityhub'], guardDuty: { rules: DRILL_RULES } },
      },
      region: REGION,
      // moto keeps no event history (no LookupEvents: ../shared/emulators/moto/README.md): against it the
      // sweep is off; every region's lookups failing and retried kept the watch's ticks busy past the drill's deadline.
      ...(options.endpoint ? { sweep: false } : {}),
    });
    // Requests from the CLI's publisher (the function, and the Identity Center user where the drill has one), five
    // from findings (GuardDuty's policy on two single findings and an attack sequence, Security Hub CSPM's OCSF
    // finding, a Security Hub custom action), one finding suggested only, one archived and one sample (ignored).
    const fromCli: PublishTarget[] = [fx.compromisedFunction.arn, ...(identityCenter ? [identityCenter.target] : [])];
    const findings = sampleFindings(fx, memberAccount);
    // GuardDuty names a sequence's IAM user by name only: lockdown records it as user/<name>, without the
    // fixture's path (/drill/), and that is the ARN its CONTAINED email gives to release it by.
    const sequenceUser = `arn:aws:iam::${memberAccount}:user/${fx.user.name}`;
    const good: PublishTarget[] = [
      ...fromCli,
      fx.role.arn,
      { arn: fx.bucket.arn, accountId: memberAccount },
      fx.instance.arn,
      fx.session.arn,
      sequenceUser,
    ];
    const goodArns = good.map((g) => (typeof g === 'string' ? g : g.arn));
    say(`publishing ${fromCli.length} containment request(s) and 3 bad ones through the \`lockdown contain\` publisher`);
    await pipeline.publish(fromCli, EXTERNAL_ID, 'contain');
    say(
      "GuardDuty findings (6, one an attack sequence), an OCSF finding of Security Hub CSPM and a Security Hub custom action on the default event bus, through the triggers stack's rules",
    );
    const matched = await Promise.all(findings.events.map((e) => pipeline!.putFindingEvent(e)));
    await pipeline.publish([`arn:aws:iam::${memberAccount}:user/${fx.user.name}`], 'wrong-external-id', 'contain');
    await pipeline.publish(
      [`arn:aws:dynamodb:${REGION}:${memberAccount}:table/drill`, `arn:aws:iam::${memberAccount}:role/${MEMBER_ROLE}`],
      EXTERNAL_ID,
      'contain',
    );

    const deadline = () => started + options.timeoutSeconds * 1000;
    // The phase's live line: how many audit emails so far, and the last one (the timeline is printed once, at the end).
    const mailbox = () => `${pipeline!.emails.length} audit emails, last: ${pipeline!.emails.at(-1)?.subject ?? 'none yet'}`;
    // An attacker holding a second administrator (created before containment) undoes the user's
    // containment as soon as it lands; the tamper watch must put it back and say so.
    await progress.during(
      'containing',
      mailbox,
      pipeline.waitFor((emails) => emails.some((e) => e.subject.startsWith('[lockdown] CONTAINED iam-user')), deadline()),
    );
    say(
      `an attacker with a second administrator removes the user's deny and reactivates a key${options.guard ? ' (under the organization guard)' : ''}`,
    );
    const attempts = await tamper(member, fx);
    const tamperedAt = Date.now();
    const succeeded = attempts.filter((a) => a.status === 'fulfilled').length;
    const isTampered = (e: AuditEmail) => e.subject.startsWith(`[lockdown] TAMPERED iam-user ${fx.user.name}`);
    let reportedAt: number | undefined;
    await progress.during(
      'containing the rest, the tamper watch',
      mailbox,
      pipeline.waitFor(
        (emails) =>
          everyEntityHas(emails, 'CONTAINED', goodArns) &&
          countEmails(emails, 'REJECTED') >= 3 &&
          (succeeded === 0 || countEmails(emails, 'TAMPERED') >= 1),
        deadline(),
        (email) => {
          if (isTampered(email)) reportedAt ??= Date.now();
        },
      ),
    );
    const tamperedEmail = pipeline.emails.find(isTampered);
    const tamperScore: TamperScore = {
      configuration: options.guard ? 'guard' : 'watch only',
      attempts: attempts.length,
      refused: attempts.filter((a) => a.status === 'rejected' && /AccessDenied|not authorized/.test(String(a.reason))).length,
      succeeded,
      // The TAMPERED email lists the steps the watch found undone and put back.
      undoneByWatch: (tamperedEmail?.body.split('\nSteps:\n')[1] ?? '').split('\n').filter((l) => /^\s+\d+\. \[/.test(l)).length,
      // From the attacker's change to the TAMPERED report in the audit mailbox.
      ...(reportedAt !== undefined ? { secondsExposed: Math.round((reportedAt - tamperedAt) / 100) / 10 } : {}),
    };
    say('contained: checking every entity independently of the services');
    const contained = await snapshot(member, fx);
    const containedLedgers = await readLedgers(good, pipeline.emulators.dynamo.client);
    const checks: Check[] = [
      ...(await containmentChecks(fx, contained)),
      ...(await bucketChecks(fx, contained, memberAccount, MEMBER_ROLE)),
      ...rejectionChecks(pipeline.emails),
      tamperCheck(tamperScore),
      ...(identityCenter ? await identityCenterChecks(sandbox!, identityCenter) : []),
    ];

    checks.push(await misdirectedReleaseCheck(pipeline, member, fx, contained, deadline()));

    say(
      `releasing the ${good.length} entities through the release topic (the role through the Security Hub custom action "lockdown: release")`,
    );
    await pipeline.publish(
      good.filter((t) => t !== fx.role.arn),
      EXTERNAL_ID,
      'release',
    );
    await pipeline.putFindingEvent(findings.release);
    await progress.during(
      'releasing',
      mailbox,
      pipeline.waitFor((emails) => everyEntityHas(emails, 'RELEASED', goodArns), deadline()),
    );
    const after = await snapshot(member, fx);
    const releasedLedgers = await readLedgers(good, pipeline.emulators.dynamo.client);
    checks.push(...sameState(before, after));
    if (identityCenter) checks.push(identityCenterReleaseCheck(identityCenter, identityCenterBefore));
    await pipeline.settle();
    checks.push(...findingChecks(findings, matched, pipeline));
    const deadLetters = await pipeline.deadLetters();
    checks.push({ name: 'no message in any dead-letter queue', ok: deadLetters === 0, detail: `${deadLetters} message(s)` });
    return {
      mode: sandbox ? 'sandbox' : 'endpoint',
      tamper: tamperScore,
      memberAccount,
      checks,
      emails: pipeline.emails,
      pollers: pipeline.pollerStats(),
      ...(sandbox ? { authorizations: distinct(sandbox.authorizations) } : {}),
      durationMs: Date.now() - started,
      passed: checks.every((c) => c.ok),
      ledgers: containedLedgers.map((read) => [read, ...releasedLedgers.filter((r) => r.arn === read.arn && r.cycle === read.cycle)]),
    };
  } finally {
    await pipeline?.stop();
    uninstall?.();
    restoreEnv();
  }
}

export type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/** Release is its own authority: a release published to the ingress topic (with the right ExternalId) is refused and changes nothing. */
async function misdirectedReleaseCheck(
  pipeline: LocalPipeline,
  member: MemberClients,
  fx: DrillFixtures,
  contained: Snapshot,
  deadline: number,
): Promise<Check> {
  const refused = (e: AuditEmail) =>
    e.subject.startsWith(`[lockdown] REJECTED iam-role ${fx.role.name}`) && e.body.includes('Reason code: release-on-ingress-topic');
  await pipeline.publish([fx.role.arn], EXTERNAL_ID, 'release', undefined, 'ingress');
  await pipeline.waitFor((emails) => emails.some(refused), deadline);
  const role = await readPrincipal(member.iam, 'role', fx.role.name);
  const unchanged = isDeepStrictEqual(role, contained.role);
  const released = pipeline.emails.some((e) => e.subject.startsWith(`[lockdown] RELEASED iam-role ${fx.role.name}`));
  return {
    name: 'a release published to the ingress topic is REJECTED (release-on-ingress-topic) and changes nothing',
    ok: unchanged && !released,
    detail: `${pipeline.emails.find(refused)?.body.split('\n')[0] ?? ''}; the role ${unchanged ? 'is still contained, unchanged' : `changed: ${JSON.stringify(role)}`}`,
  };
}

/** What an attacker with another administrator of the account tries once the user is contained. */
function tamper(c: MemberClients, fx: DrillFixtures): Promise<PromiseSettledResult<unknown>[]> {
  return Promise.allSettled([
    c.iam.send(new DeleteUserPolicyCommand({ UserName: fx.user.name, PolicyName: 'lockdown-deny-all' })),
    c.iam.send(new UpdateAccessKeyCommand({ UserName: fx.user.name, AccessKeyId: fx.user.keys[0]!, Status: 'Active' })),
  ]);
}

/** Without the guard every change the attacker made is undone by the watch and reported; with it, none takes effect. */
function tamperCheck(score: TamperScore): Check {
  const detail = `${score.attempts} attempts: ${score.refused} refused, ${score.succeeded} took effect, ${score.undoneByWatch} undone by the watch${score.secondsExposed !== undefined ? ` ${score.secondsExposed} s later` : ''}`;
  return score.configuration === 'guard'
    ? {
        name: 'tampering after containment refused by the organization guard (nothing took effect)',
        ok: score.refused === score.attempts,
        detail,
      }
    : {
        name: 'tampering after containment undone by the tamper watch (TAMPERED reported)',
        ok: score.succeeded > 0 && score.undoneByWatch >= score.succeeded,
        detail,
      };
}

async function snapshot(c: MemberClients, fx: DrillFixtures) {
  const [user, role, compromised, healthy, sharedRole, instance, profileRole, bucket] = await Promise.all([
    readPrincipal(c.iam, 'user', fx.user.name),
    readPrincipal(c.iam, 'role', fx.role.name),
    readFunction(c.lambda, fx.compromisedFunction.arn),
    readFunction(c.lambda, fx.healthyFunction.arn),
    readPrincipal(c.iam, 'role', fx.sharedRole),
    readInstance(c.ec2, fx.instance.id),
    readPrincipal(c.iam, 'role', fx.instance.profileRole),
    readBucket(c.s3, fx.bucket.name),
  ]);
  const { groups: _groups, ...instanceState } = instance;
  return { user, role, compromised, healthy, sharedRole, instance: instanceState, instanceGroups: instance.groups, profileRole, bucket };
}

/** The roles an emulator needs (the member stack creates lockdown's in real accounts). */
async function bootstrapRole(accountId: string, roleName: string): Promise<void> {
  const trust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': MEMBER_EXTERNAL_ID } },
      },
    ],
  };
  await new IAMClient({ region: REGION })
    .send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(trust) }))
    .catch((error: unknown) => {
      if (!(error instanceof EntityAlreadyExistsException)) throw error;
    });
}

/**
 * The drill's findings policy: the defaults, after two rows that contain what the defaults suggest (a
 * credentials attack sequence, a bucket failing Security Hub CSPM's S3.8), so the drill shows both contained.
 */
const DRILL_RULES = [
  { types: ['AttackSequence:IAM/CompromisedCredentials'], minSeverity: 9, decision: 'contain' },
  { types: ['S3.8'], minSeverity: 7, decision: 'contain' },
  ...DEFAULT_TRIGGER_RULES,
];

/** The drill's findings, in the formats AWS documents (see testing/sandbox/src/findings/sample-events.ts). */
function sampleFindings(fx: DrillFixtures, account: string) {
  const sample = (type: string, severity: number, resource: Record<string, unknown>, archived = false, generated = false) =>
    guardDutyFindingEvent({
      type,
      severity,
      accountId: account,
      region: REGION,
      resource,
      archived,
      sample: generated,
      adminAccount: SECURITY_ACCOUNT,
    });
  const mining = sample('CryptoCurrency:EC2/BitcoinTool.B!DNS', 8, guardDutyResource.instance(fx.instance.id));
  const stolen = sample(
    'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
    8,
    guardDutyResource.sessionKey(fx.sharedRole, 'AROADRILLEXAMPLE', fx.session.name),
  );
  const low = sample('CryptoCurrency:Lambda/BitcoinTool.B', 3, guardDutyResource.lambda(fx.healthyFunction.arn));
  const archived = sample('CryptoCurrency:Lambda/BitcoinTool.B', 8, guardDutyResource.lambda(fx.healthyFunction.arn), true);
  // What "Generate sample findings" sends: a type and severity the policy contains, on a real function.
  const generated = sample('Backdoor:Lambda/C&CActivity.B', 8, guardDutyResource.lambda(fx.healthyFunction.arn), false, true);
  // GuardDuty's attack sequence on the user's credentials (its resource AttackSequence, the user its actor).
  const sequence = guardDutyFindingEvent({
    type: 'AttackSequence:IAM/CompromisedCredentials',
    severity: 9,
    accountId: account,
    region: REGION,
    resource: { resourceType: 'AttackSequence' },
    sequence: { actors: [sequenceActor.user(fx.user.name, account)] },
    adminAccount: SECURITY_ACCOUNT,
  });
  // Security Hub CSPM's control S3.8 (block public access) failed on the shared bucket, in OCSF.
  const ocsf = ocsfFindingEvent({
    product: 'securityhub',
    accountId: account,
    region: REGION,
    types: ['Software and Configuration Checks/AWS Security Best Practices'],
    control: 'S3.8',
    severityId: 4,
    resources: [{ type: 'AWS::S3::Bucket', uid: fx.bucket.arn, region: REGION, owner: { account: { uid: account } } }],
  });
  // The custom actions, contain and later release, on the role's finding.
  const roleFinding = asffFinding(account, REGION, [{ Type: 'AwsIamRole', Id: fx.role.arn }]);
  const action = (a: 'contain' | 'release', finding: object) =>
    customActionEvent(customActionArn('aws', REGION, SECURITY_ACCOUNT, a), [finding], REGION, SECURITY_ACCOUNT);
  return {
    mining,
    stolen,
    low,
    archived,
    generated,
    sequence,
    ocsf,
    roleFinding,
    events: [mining, stolen, low, archived, generated, sequence, ocsf, action('contain', roleFinding)],
    release: action('release', roleFinding),
  };
}

type SampleFindings = ReturnType<typeof sampleFindings>;

function findingChecks(f: SampleFindings, matched: string[][], pipeline: LocalPipeline): Check[] {
  const emails = pipeline.emails;
  const idOf = (e: SampleEvent) => (e.detail as { arn: string }).arn;
  const fromFinding = (kind: string, id: string) =>
    emails.some((e) => e.subject.startsWith(`[lockdown] ${kind} `) && e.body.includes(`Finding:     ${id}`));
  const notes = (id: string) => pipeline.findingNotes.filter((n) => n.ids.includes(id));
  const roleNotes = notes(f.roleFinding.Id).map((n) => n.text);
  const ocsfId = (f.ocsf.detail as { findings: Array<{ metadata: { uid: string } }> }).findings[0]!.metadata.uid;
  const released = emails.filter((e) => e.subject.startsWith('[lockdown] RELEASED '));
  return [
    {
      name: 'every sample finding matched the rule the triggers stack deploys for it',
      ok: matched.every((rules) => rules.length === 1),
      detail: matched.map((rules) => rules.join(',') || 'no rule').join('; '),
    },
    {
      name: 'GuardDuty finding (CryptoCurrency:EC2, severity 8) contained the instance automatically',
      ok: fromFinding('CONTAINED', idOf(f.mining)) && notes(idOf(f.mining)).some((n) => n.text.startsWith('lockdown CONTAINED')),
      detail: 'CONTAINED with the finding, and the outcome noted on it',
    },
    {
      name: 'GuardDuty finding on stolen temporary credentials contained that session only',
      ok: fromFinding('CONTAINED', idOf(f.stolen)) && emails.some((e) => e.subject.startsWith('[lockdown] CONTAINED iam-role-session')),
      detail: 'InstanceCredentialExfiltration.OutsideAWS -> iam-role-session',
    },
    {
      name: 'low-severity GuardDuty finding suggested only (SUGGESTED, nothing changed)',
      ok:
        fromFinding('SUGGESTED', idOf(f.low)) &&
        !fromFinding('CONTAINED', idOf(f.low)) &&
        notes(idOf(f.low)).some((n) => n.text.startsWith('lockdown suggests') && !n.workflow),
      detail: 'CryptoCurrency:Lambda, severity 3',
    },
    {
      name: 'archived GuardDuty finding ignored (no request, no note)',
      ok: !emails.some((e) => e.body.includes(idOf(f.archived))) && notes(idOf(f.archived)).length === 0,
      detail: 'service.archived = true',
    },
    {
      name: 'GuardDuty sample finding ignored (IGNORED with its id, nothing contained)',
      ok:
        emails.some((e) => e.subject.startsWith('[lockdown] IGNORED ') && e.body.includes(idOf(f.generated))) &&
        !fromFinding('CONTAINED', idOf(f.generated)) &&
        notes(idOf(f.generated)).length === 0,
      detail: 'service.additionalInfo.sample = true, Backdoor:Lambda/C&CActivity.B severity 8',
    },
    {
      name: "GuardDuty attack sequence (IAM/CompromisedCredentials) contained its actor, the user, by the drill's policy row",
      ok:
        fromFinding('CONTAINED', idOf(f.sequence)) &&
        emails.some((e) => e.subject.startsWith(`[lockdown] CONTAINED iam-user `) && e.body.includes(`Finding:     ${idOf(f.sequence)}`)) &&
        notes(idOf(f.sequence)).some((n) => n.text.startsWith('lockdown CONTAINED: iam-user')),
      detail: 'resource AttackSequence, actor IAMUser -> iam-user; the outcome noted on the sequence',
    },
    {
      name: "Security Hub CSPM's OCSF finding (Findings Imported V2, S3.8) contained the bucket, written back with BatchUpdateFindingsV2",
      ok:
        fromFinding('CONTAINED', ocsfId) &&
        notes(ocsfId).some((n) => n.api === 'BatchUpdateFindingsV2' && n.text.startsWith('lockdown CONTAINED: s3-bucket')),
      detail: notes(ocsfId)
        .map((n) => `${n.api}: ${n.text.slice(0, 40)}`)
        .join(' | '),
    },
    {
      name: 'Security Hub custom action contained the role and wrote it back to the finding',
      ok:
        fromFinding('CONTAINED', f.roleFinding.Id) &&
        notes(f.roleFinding.Id).some((n) => n.workflow === 'NOTIFIED' && n.text.startsWith('lockdown: contain requested')) &&
        roleNotes.some((t) => t.startsWith('lockdown CONTAINED: iam-role')),
      detail: roleNotes.map((t) => t.slice(0, 60)).join(' | '),
    },
    {
      name: 'Security Hub custom action released the role and wrote it back',
      ok: fromFinding('RELEASED', f.roleFinding.Id) && roleNotes.some((t) => t.startsWith('lockdown RELEASED: iam-role')),
      detail: 'lockdown: release',
    },
    {
      name: 'every RELEASED email names its authority: the release topic, or the Security Hub release action with its finding',
      ok:
        released.length > 0 &&
        released.every((e) =>
          e.body.includes(
            e.body.includes(`Finding:     ${f.roleFinding.Id}`)
              ? `Authority:   the Security Hub release action on finding ${f.roleFinding.Id}, through the release topic`
              : 'Authority:   the release topic (lockdown-release)',
          ),
        ),
      detail: `${released.length} RELEASED email(s)`,
    },
    {
      name: 'no failed delivery to the triggers',
      ok: pipeline.failedDeliveries.length === 0,
      detail: pipeline.failedDeliveries.join('; ') || 'none',
    },
  ];
}

function rejectionChecks(emails: AuditEmail[]): Check[] {
  const rejected = emails.filter((e) => e.subject.startsWith('[lockdown] REJECTED'));
  const has = (code: string) => rejected.some((e) => e.body.includes(`Reason code: ${code}`));
  return [
    { name: 'wrong ExternalId rejected', ok: has('unauthenticated'), detail: 'audit reason code unauthenticated' },
    { name: 'unsupported ARN (DynamoDB table) rejected', ok: has('invalid-arn'), detail: 'audit reason code invalid-arn' },
    {
      name: 'protected principal (the member role) rejected',
      ok: has('protected-principal'),
      detail: 'audit reason code protected-principal',
    },
  ];
}

const distinct = (records: AuthorizationRecord[]) => [...new Map(records.map((r) => [JSON.stringify(r), r])).values()];
