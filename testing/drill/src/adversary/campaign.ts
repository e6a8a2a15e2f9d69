import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand } from '@aws-sdk/client-ec2';
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  CreateUserCommand,
} from '@aws-sdk/client-iam';
import { CreateEventSourceMappingCommand, CreateFunctionCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { Ec2Fixtures, SimulatedAws } from '@lockdown/sandbox';
import { isDeepStrictEqual } from 'node:util';
import type { Check } from '../checks';
import { Progress, SILENT_PROGRESS } from '@lockdown/cli';
import { AuditEmail, LocalPipeline, countEmails, countEntities } from '../local-pipeline';
import { MemberClients, launchInstance, readFunction, readInstance, readPrincipal } from '../member-api';
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
import { attackEnd } from './attack-end';
import { Actor, Attacker } from './attacker';
import { DRILL_SWEEP_POLICY, MINER_REGION, Plant, PlantGround, PlantScore, plantPersistence, scorePlants } from './persistence';
import { EntityOutcome, EntityScore, scoreEntity } from './score';
import { Credentials, Target, clientsFor, functionTarget, instanceTarget, roleTarget, userTarget } from './targets';

export interface CampaignOptions {
  /** lockdown's organization guard over the member account, or the tamper watch alone. */
  guard: boolean;
  /** IAM's propagation delay the sandbox models, in seconds (measured: about 4 s). */
  propagationSeconds: number;
  /** The tamper watch's schedule, seconds after containment (its first tick past the propagation delay). */
  watchSchedule: number[];
  pollMs: number;
  timeoutSeconds: number;
  progress?: Progress;
}

export interface CampaignReport {
  configuration: EntityScore['configuration'];
  scores: EntityScore[];
  /** What each entity's attackers did and when lockdown answered: what the scores are made of (and the report draws). */
  outcomes: EntityOutcome[];
  /** Each door the attacker left before containment: found by the sweep (its CloudTrail event), contained per the policy. */
  persistence: PlantScore[];
  checks: Check[];
  emails: AuditEmail[];
  passed: boolean;
}

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const CONCURRENCY = 5;

interface Compromised {
  entity: string;
  arn: string;
  /** The credentials the attacker stole from the entity. */
  stolen: Credentials;
  target: Target;
  /** Reads what lockdown changes and must give back, through the drill's own administrator. */
  read: () => Promise<unknown>;
}

/**
 * The adversarial drill, one configuration: in the sandbox with IAM's eventual consistency
 * modelled, an administrator-privileged IAM user, IAM role, Lambda function and EC2 instance are
 * compromised; for each, an attacker with the entity's own stolen credentials and another with a
 * second administrator it created before, both polling every `pollMs` and undoing every lockdown
 * change they can, from the containment request until the watch's last tick has propagated.
 * Then everything is released and must be exactly as before.
 */
export async function runCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const progress = options.progress ?? SILENT_PROGRESS;
  const say = (text: string) => progress.say(text);
  const configuration = options.guard ? 'guard' : 'watch only';
  const sandbox = new SimulatedAws();
  const uninstall = sandbox.install();
  const restoreEnv = drillEnvironment();
  const attackers: Array<{ entity: string; attacker: Attacker }> = [];
  let pipeline: LocalPipeline | undefined;
  try {
    seedSandboxMember(sandbox, options.guard);
    const member = fixtureClients(SANDBOX_MEMBER_ACCOUNT);
    say(`${configuration}: four administrator-privileged entities compromised, and a second administrator the attacker created`);
    const { entities, backdoor, ground, suffix } = await compromise(member, sandbox);
    const before = await Promise.all(entities.map((e) => e.read()));
    // CloudTrail delivers events late (AWS: within about 15 minutes; here 3 s): the first sweep may
    // miss the last plants, the watch's ticks find them.
    sandbox.cloudTrail.deliveryDelayMs = 3000;
    sandbox.cloudTrail.sourceIps.set(entities[0]!.stolen.accessKeyId, '203.0.113.66');
    say(`${configuration}: with the user's stolen key, the attacker leaves doors behind before lockdown is called`);
    const plants: Plant[] = await plantPersistence(entities[0]!.stolen, ground, suffix);
    // From here on, authorization sees every IAM change only after the propagation delay.
    sandbox.modelIamPropagation(options.propagationSeconds * 1000);

    pipeline = await LocalPipeline.start({
      securityAccount: SECURITY_ACCOUNT,
      memberAccount: SANDBOX_MEMBER_ACCOUNT,
      memberRole: MEMBER_ROLE,
      memberExternalId: MEMBER_EXTERNAL_ID,
      externalId: EXTERNAL_ID,
      settings: { untrackedWindowSeconds: 1, watchSchedule: options.watchSchedule },
      region: REGION,
      sweepPolicy: DRILL_SWEEP_POLICY,
      // The regions the attacker used (its miner's among them), as an operator lists them with
      // `sweep.regions`: all 17 of the default cost each tick's sweep 17 LookupEvents calls, each
      // authorized by iam-simulate on this machine's CPU, which slowed the campaign's containments
      // under load. The default (every enabled region) is tested in libs/aws's sweep specs.
      sweepRegions: [REGION, MINER_REGION],
    });
    const requestedAt = Date.now();
    const clock = () => Date.now() - requestedAt;
    for (const e of entities)
      for (const [actor, credentials] of [
        ['own credentials', e.stolen],
        ['second administrator', backdoor],
      ] as Array<[Actor, Credentials]>) {
        const attacker = new Attacker(actor, clientsFor(credentials), e.target, clock, options.pollMs);
        attackers.push({ entity: e.entity, attacker });
        attacker.start();
      }
    say(`${configuration}: containing the four entities; eight attackers polling every ${options.pollMs} ms`);
    const arns = entities.map((e) => e.arn);
    await pipeline.publish(arns, EXTERNAL_ID, 'contain');
    const deadline = requestedAt + options.timeoutSeconds * 1000;
    const received = new Map<AuditEmail, number>();
    const onEmail = (email: AuditEmail) => void received.set(email, clock());
    const mailbox = () =>
      `${pipeline!.emails.length} audit emails (${countEmails(pipeline!.emails, 'CONTAINED')} contained, ${countEmails(pipeline!.emails, 'TAMPERED')} tampered), ${attackers.reduce((n, a) => n + a.attacker.events.length, 0)} attacker actions`;
    // A FAILED containment settles its entity too: the check 'no containment failed under attack' reports it.
    await progress.during(
      `${configuration}: containing`,
      mailbox,
      pipeline.waitFor((emails) => entities.every((e) => settled(emails, e.arn)), deadline, onEmail),
    );
    // The attack goes on until the attackers could answer the watch's last tick on the four entities (later if it ran late).
    const arrivals = (kind: string) =>
      [...received].filter(([m]) => m.subject.startsWith(`[lockdown] ${kind} `) && arns.some((a) => isAbout(m, a))).map(([, at]) => at);
    const end = () =>
      attackEnd({
        contained: arrivals('CONTAINED'),
        tampered: arrivals('TAMPERED'),
        watchSchedule: options.watchSchedule,
        propagationMs: options.propagationSeconds * 1000,
        pollMs: options.pollMs,
      });
    await progress.during(
      `${configuration}: attackers against the tamper watch`,
      mailbox,
      pipeline.waitFor(() => clock() >= end(), deadline, onEmail),
    );
    await Promise.all(attackers.map((a) => a.attacker.stop()));
    // The sweep follows the user's containment, or its final failure (without the guard the attackers may outlast it).
    const planter = entities[0]!;
    await progress.during(
      `${configuration}: the sweep`,
      () => `${countEmails(pipeline!.emails, 'SWEPT')} sweep report(s)`,
      pipeline.waitFor(
        (emails) => emails.some((m) => m.subject.startsWith('[lockdown] SWEPT ') && isAbout(m, planter.arn)),
        deadline,
        onEmail,
      ),
    );
    // The doors the sweep sent to containment (through the intake, like any request) are closed too.
    const doors = plants.flatMap((p) => (p.contains ? [p.contains] : []));
    await progress.during(
      `${configuration}: the sweep's containments`,
      () => `${doors.filter((d) => settled(pipeline!.emails, d)).length} of ${doors.length} doors closed`,
      pipeline.waitFor((emails) => doors.every((d) => settled(emails, d)), deadline, onEmail),
    );
    const persistence = scorePlants(plants, pipeline.emails);

    const reportsOf = (arn: string, kind: string) =>
      [...received].filter(([m]) => m.subject.startsWith(`[lockdown] ${kind} `) && m.body.includes(`ARN:         ${arn}\n`));
    const outcomes = entities.map((e): EntityOutcome => {
      const reports = reportsOf(e.arn, 'CONTAINED');
      return {
        entity: e.entity,
        events: attackers.filter((a) => a.entity === e.entity).flatMap((a) => a.attacker.events),
        ...(reports[0] ? { containedAt: reports[0][1] } : {}),
        // Every CONTAINED report counts: a loaded machine redelivers a message whose run outlasted its visibility timeout, and that run's verify puts back what the attackers undid meanwhile.
        reappliedByVerify: reports.reduce((sum, [m]) => sum + stepsIn(m, '[reapplied]'), 0),
        tampered: reportsOf(e.arn, 'TAMPERED').map(([m, at]) => ({ at, steps: stepsIn(m) })),
        end: clock(),
        pollMs: options.pollMs,
      };
    });
    const scores = outcomes.map((o) => scoreEntity(configuration, o));

    say(`${configuration}: the attackers stopped; releasing the four entities`);
    await pipeline.publish(
      entities.map((e) => e.arn),
      EXTERNAL_ID,
      'release',
    );
    await progress.during(
      `${configuration}: releasing`,
      () => `${countEmails(pipeline!.emails, 'RELEASED')} of ${entities.length} released`,
      pipeline.waitFor((emails) => countEntities(emails, 'RELEASED') >= entities.length, deadline, onEmail),
    );
    const after = await Promise.all(entities.map((e) => e.read()));
    const deadLetters = await pipeline.deadLetters();
    // Without the guard, attackers who undo every change can outlast a containment's retries: FAILED, audited, dead-lettered.
    const failed = entities.filter((e) => reportsOf(e.arn, 'FAILED').length > 0).map((e) => e.entity);
    const checks = campaignChecks(configuration, scores, pipeline.emails, failed);
    checks.push(
      {
        name: `${configuration}: the sweep found every door the attacker left before containment, each with its CloudTrail event`,
        ok: persistence.every((p) => p.eventId !== undefined),
        detail: persistence.map((p) => `${p.item}: ${p.eventId ?? 'not found'}`).join('; '),
      },
      {
        name: `${configuration}: under the drill's sweep policy (${DRILL_SWEEP_POLICY}) every new door is contained`,
        ok: persistence.every((p) => p.contained !== 'not contained'),
        detail: persistence.map((p) => `${p.item}: ${p.contained}`).join('; '),
      },
    );
    checks.push(
      ...entities.map((e, i) => ({
        name: `${e.entity} released to exactly its state before containment, after the fight`,
        ok: isDeepStrictEqual(before[i], after[i]),
        detail: isDeepStrictEqual(before[i], after[i]) ? '' : `before ${JSON.stringify(before[i])}\nafter  ${JSON.stringify(after[i])}`,
      })),
      {
        name:
          configuration === 'guard'
            ? 'no message in any dead-letter queue'
            : 'nothing dead-lettered but the containments the attackers outlasted (reported FAILED, alarmed)',
        ok: deadLetters <= (configuration === 'guard' ? 0 : failed.length),
        detail: `${deadLetters} message(s)`,
      },
    );
    return { configuration, scores, outcomes, persistence, checks, emails: pipeline.emails, passed: checks.every((c) => c.ok) };
  } finally {
    await Promise.all(attackers.map((a) => a.attacker.stop()));
    await pipeline?.stop();
    uninstall();
    restoreEnv();
  }
}

/** Whether an email is about this entity (its ARN line). */
const isAbout = (email: AuditEmail, arn: string) => email.body.includes(`ARN:         ${arn}\n`);
/** Whether this entity's containment has ended: CONTAINED or FAILED reported for it. */
const settled = (emails: AuditEmail[], arn: string) =>
  emails.some((m) => (m.subject.startsWith('[lockdown] CONTAINED ') || m.subject.startsWith('[lockdown] FAILED ')) && isAbout(m, arn));

/** The steps a report lists (a TAMPERED report lists what the watch put back), or only those with this status. */
const stepsIn = (email: AuditEmail, status = '[') =>
  (email.body.split('\nSteps:\n')[1] ?? '').split('\n').filter((l) => /^\s+\d+\. \[/.test(l) && l.includes(`. ${status}`)).length;

/** What the campaign must show in each configuration (the issue's "done when"). */
function campaignChecks(
  configuration: EntityScore['configuration'],
  scores: EntityScore[],
  emails: AuditEmail[],
  failed: readonly string[],
): Check[] {
  const line = (s: EntityScore) =>
    `${s.entity}: held ${s.heldSeconds ?? 'never'}, ${s.tookEffect} took effect, ${s.putBack} put back, ${s.tamperedReports} TAMPERED report(s)`;
  // Under the guard every containment must complete. Without it, an attacker who undoes each change
  // before it propagates can outlast the retries: that entity ends FAILED (audited, alarmed,
  // dead-lettered), which is what the guard is for; the scorecard shows it as never contained.
  const settled = (s: EntityScore) => s.containedSeconds !== null || (configuration !== 'guard' && failed.includes(s.entity));
  const checks: Check[] = [
    {
      name:
        configuration === 'guard'
          ? 'guard: every entity contained (CONTAINED reported)'
          : `${configuration}: every entity contained, or reported FAILED when the attackers outlasted the retries`,
      ok: scores.every(settled),
      detail: scores.map((s) => `${s.entity} ${s.containedSeconds ?? (failed.includes(s.entity) ? 'FAILED' : 'never')}`).join('; '),
    },
    {
      name: `${configuration}: what the attackers undid was put back by lockdown and reported (verify in CONTAINED, the watch in TAMPERED)`,
      ok: scores.every((s) => s.tookEffect === 0 || s.putBack > 0 || failed.includes(s.entity)),
      detail: scores.map(line).join('; '),
    },
  ];
  if (configuration === 'guard')
    checks.push({
      name: 'guard: no containment failed under attack',
      ok: countEmails(emails, 'FAILED') === 0,
      detail: emails
        .filter((e) => e.subject.startsWith('[lockdown] FAILED'))
        .map((e) => e.subject)
        .join('; '),
    });
  if (configuration === 'guard')
    checks.push({
      name: 'guard: every entity held against both attackers once the containment propagated (nothing took effect after)',
      ok: scores.every((s) => s.heldSeconds !== null),
      detail: scores.map(line).join('; '),
    });
  return checks;
}

/**
 * The compromised entities, each administrator-privileged (the worst case), the credentials the
 * attacker holds for each (issued before containment), and a second administrator it created.
 */
async function compromise(
  c: MemberClients,
  sandbox: SimulatedAws,
): Promise<{ entities: Compromised[]; backdoor: Credentials; ground: PlantGround; suffix: string }> {
  const suffix = Date.now().toString(36).slice(-5);
  const n = (name: string) => `adv-${name}-${suffix}`;
  const trust = (service: string) =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
  const adminUser = async (name: string) => {
    await c.iam.send(new CreateUserCommand({ UserName: name, Path: '/' }));
    await c.iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: ADMIN }));
    const { AccessKey } = await c.iam.send(new CreateAccessKeyCommand({ UserName: name }));
    return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
  };
  const adminRole = async (name: string, service: string) => {
    const role = (await c.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust(service) }))).Role!;
    await c.iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: ADMIN }));
    return role.Arn!;
  };

  const [user, backdoor] = [n('user'), n('backdoor')];
  const userKey = await adminUser(user);
  const backdoorKey = await adminUser(backdoor);

  const role = n('role');
  const roleArn = await adminRole(role, 'ec2.amazonaws.com');

  const fn = n('fn');
  const fnRole = n('fn-role');
  const fnRoleArn = await adminRole(fnRole, 'lambda.amazonaws.com');
  const fnArn = (
    await c.lambda.send(
      new CreateFunctionCommand({
        FunctionName: fn,
        Role: fnRoleArn,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Code: { ZipFile: new Uint8Array(1) },
      }),
    )
  ).FunctionArn!;
  await c.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: fn, ReservedConcurrentExecutions: CONCURRENCY }));
  const { QueueUrl } = await c.sqs.send(new CreateQueueCommand({ QueueName: n('jobs') }));
  const { Attributes } = await c.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await c.lambda.send(
    new CreateEventSourceMappingCommand({ FunctionName: fnArn, EventSourceArn: Attributes!['QueueArn']!, Enabled: true }),
  );

  const vpc = (await c.ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc!.VpcId!;
  const subnet = (await c.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.9.1.0/24' }))).Subnet!.SubnetId!;
  const group = (await c.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: n('web'), Description: 'workload' }))).GroupId!;
  const profileRole = n('web-role');
  await adminRole(profileRole, 'ec2.amazonaws.com');
  const profile = (await c.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: n('web') }))).InstanceProfile!;
  await c.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: profile.InstanceProfileName!, RoleName: profileRole }));
  const instance = await launchInstance(c.ec2, subnet, group, profile.Arn!);
  const instanceId = instance.InstanceId!;
  const instanceArn = `arn:aws:ec2:${REGION}:${SANDBOX_MEMBER_ACCOUNT}:instance/${instanceId}`;
  const groups = Object.fromEntries((instance.NetworkInterfaces ?? []).map((i) => [i.NetworkInterfaceId!, [group]]));

  const session = (roleName: string, sessionName: string, context: Record<string, string> = {}) =>
    sandbox.issueSession(SANDBOX_MEMBER_ACCOUNT, roleName, sessionName, context);
  const entities: Compromised[] = [
    {
      entity: 'iam-user',
      arn: `arn:aws:iam::${SANDBOX_MEMBER_ACCOUNT}:user/${user}`,
      stolen: userKey,
      target: userTarget(user, [userKey.accessKeyId]),
      read: () => readPrincipal(c.iam, 'user', user),
    },
    {
      entity: 'iam-role',
      arn: roleArn,
      stolen: session(role, 'stolen'),
      target: roleTarget(role),
      read: () => readPrincipal(c.iam, 'role', role),
    },
    {
      entity: 'lambda-function',
      arn: fnArn,
      stolen: session(fnRole, fn, { 'lambda:SourceFunctionArn': fnArn }),
      target: functionTarget(fnArn, fnRole, CONCURRENCY),
      read: async () => ({ fn: await readFunction(c.lambda, fnArn), role: await readPrincipal(c.iam, 'role', fnRole) }),
    },
    {
      entity: 'ec2-instance',
      arn: instanceArn,
      stolen: session(profileRole, instanceId, { 'ec2:SourceInstanceARN': instanceArn }),
      target: instanceTarget(instanceId, groups, profileRole),
      read: async () => {
        const { groups: _groups, ...state } = await readInstance(c.ec2, instanceId);
        return { instance: state, role: await readPrincipal(c.iam, 'role', profileRole) };
      },
    },
  ];
  // What the attacker's plants need, made by the administrator: a bystander user, a role for a function, a group, a logging trail.
  const bystander = n('bystander');
  await c.iam.send(new CreateUserCommand({ UserName: bystander, Path: '/' }));
  const executionRoleArn = (
    await c.iam.send(new CreateRoleCommand({ RoleName: n('webhook-role'), AssumeRolePolicyDocument: trust('lambda.amazonaws.com') }))
  ).Role!.Arn!;
  const adminGroup = (
    await c.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: n('admin'), Description: 'administration' }))
  ).GroupId!;
  const trail = n('trail');
  sandbox.seed(SANDBOX_MEMBER_ACCOUNT, 'cloudtrail', 'CreateTrail', { Name: trail, S3BucketName: n('logs') }, REGION);
  sandbox.seed(SANDBOX_MEMBER_ACCOUNT, 'cloudtrail', 'StartLogging', { Name: trail }, REGION);
  const { subnetId: minerSubnet } = new Ec2Fixtures(sandbox, SANDBOX_MEMBER_ACCOUNT, MINER_REGION).network();
  return { entities, backdoor: backdoorKey, ground: { bystander, executionRoleArn, groupId: adminGroup, trail, minerSubnet }, suffix };
}

/** The adversarial drill: the campaign without the guard (the tamper watch alone), then with it. */
export async function runAdversary(options: Omit<CampaignOptions, 'guard'>): Promise<CampaignReport[]> {
  const reports: CampaignReport[] = [];
  for (const guard of [false, true]) reports.push(await runCampaign({ ...options, guard }));
  return reports;
}
