import {
  AuditEvent,
  DispatchMessage,
  MAX_SWEPT_ACCOUNTS,
  RegionProgress,
  ServiceMessage,
  ServiceName,
  SweepReport,
  globalRegionOf,
  moreFindings,
  regionFailure,
} from '@lockdown/contracts';
import { awsErrorName, isAccessDenied } from '@lockdown/containment';
import type { LedgerPort, Outcome } from '@lockdown/containment';
import {
  DerivedContainment,
  EventHistory,
  MAX_DERIVED_CONTAINMENTS,
  MAX_REPORTED_FINDINGS,
  SweepFinding,
  SweptIdentity,
  capFindings,
  clip,
  containmentsOf,
  listedEntities,
  lookbackStart,
  newFindings,
  sweepPass,
  sweptAccountsOf,
  sweptIdentityOf,
} from '@lockdown/sweep';
import { auditEntity, requestOf } from '../service-runtime/audit-of-outcome';
import type { SweepSettings } from './sweep-settings';
import { type CredentialRoles, sweptRolesOf } from './swept-roles';

export type { CredentialRoles } from './swept-roles';

/** Who a containment the sweep derived says requested it (the intake passes it on): such a request's own sweep reports only. */
export const DERIVED_REQUESTER = 'lockdown-sweep';

export interface SweepDeps {
  service: string;
  settings: SweepSettings;
  /** A member account's event history, with the member role's credentials for this request. */
  historyFor(message: DispatchMessage, accountId: string): EventHistory;
  /** The regions enabled for a member account (EC2 DescribeRegions with the member role): read when SWEEP_REGIONS names none. */
  enabledRegions(message: DispatchMessage, accountId: string): Promise<string[]>;
  /** The service's ledger: the findings are kept on the entity's record (`lockdown status` shows them). */
  ledger?: Pick<LedgerPort, 'get' | 'recordSweep'>;
  /**
   * The roles whose sessions named after a contained function or instance are its credentials (its
   * execution role, its instance profile's roles): its service reads the current ones (`CredentialRoles`),
   * the sweep adds those its containment recorded (`sweptRolesOf`).
   */
  credentialRoles?: CredentialRoles;
  /**
   * The identity as its containment recorded it, for an entity whose credentials its own record says
   * (an Identity Center user: the accounts and permission sets it reached): its service reads it.
   */
  recordedIdentity?: RecordedIdentity;
  /** Sends the policy's containments to the intake, as requests derived from this one. */
  contain?(containments: DerivedContainment[], message: DispatchMessage): Promise<void>;
  now(): Date;
}

/** Reads the swept identity from the containment's ledger record (its service's: identity-center-lockdown's). */
export type RecordedIdentity<S extends ServiceName = ServiceName> = (message: ServiceMessage<S>) => Promise<SweptIdentity>;

/** What a containment's sweeps carry from one tick to the next: the event ids reported, how far each region was read. */
export interface SweepState {
  reported: readonly string[];
  progress?: readonly RegionProgress[];
}

/** The result of one sweep: its audit record (none on a later tick that found nothing new and read everything) and the state for the next. */
export interface SweepResult {
  event?: AuditEvent;
  reported: string[];
  progress: RegionProgress[];
}

/**
 * A containment's sweep runs on each tick of its tamper watch (CloudTrail delivers late), or when it
 * completes if there is no watch: the containment's own invocation is not made longer by it.
 */
export const sweepsAfter = (message: DispatchMessage, outcome: Outcome, watched: boolean) =>
  message.action === 'contain' &&
  !message.dryRun &&
  (message.watch ? outcome.kind === 'held' || outcome.kind === 'tampered' : !watched && outcome.kind === 'contained');

/**
 * The persistence sweep of a containment: reads what the contained identity did (CloudTrail,
 * from the lookback's start until now, in each region: `lookbackStart`), reports each finding no earlier
 * sweep of this containment reported, and sends what the policy says to contain to the intake.
 */
export function createSweep(deps: SweepDeps) {
  return async (message: DispatchMessage, state: SweepState): Promise<SweepResult | undefined> => {
    const entity = auditEntity(message.entity);
    const { identity, notes: identityNotes } = await identityOf(message, entity, deps);
    if (!identity) return undefined;
    const { settings } = deps;
    const to = deps.now();
    const lookback = lookbackStart({
      requestedAt: message.requestedAt,
      ...(message.firstSeenAt ? { firstSeenAt: message.firstSeenAt } : {}),
      lookbackHours: settings.lookbackHours,
      now: to,
    });
    const from = lookback.start;
    const accounts = sweptAccountsOf(identity);
    const swept = accounts.slice(0, MAX_SWEPT_ACCOUNTS);
    // Each account the identity reached, with its own member role (and its own LookupEvents budget).
    const passes = await Promise.all(
      swept.map(async (accountId) => {
        // An account's progress names it when it is not the entity's (older messages name none: the entity's).
        const tag = accountId === entity.accountId ? {} : { accountId };
        const own = (p: RegionProgress) => (p.accountId ?? entity.accountId) === accountId;
        const { regions, note } = settings.regions
          ? { regions: settings.regions }
          : await regionsOf(message, accountId, deps.enabledRegions);
        const history = deps.historyFor(message, accountId);
        const pass = await sweepPass(identity, { regions, start: from, end: to }, history, settings.maxPages, state.progress?.filter(own));
        return { accountId, tag, regions, note, pass };
      }),
    );
    const notes = [...identityNotes, ...new Set(passes.flatMap((p) => (p.note ? [p.note] : [])))];
    const seen = new Set(state.reported);
    const byAccount = passes.map((p) => ({ ...p, fresh: newFindings(p.pass.findings, seen) }));
    const fresh = byAccount.flatMap((p) => p.fresh.map((f) => ({ ...f, ...p.tag })));
    // A containment the sweep derived reports only: one containment never cascades into others.
    const derived = message.requestedBy?.startsWith(DERIVED_REQUESTER) ?? false;
    const containments = derived
      ? []
      : // At most MAX_DERIVED_CONTAINMENTS per sweep, over all the accounts an Identity Center user reached.
        byAccount
          .flatMap((p) => containmentsOf(p.fresh, settings.policy, p.accountId, message.entity.partition, entity.arn))
          .slice(0, MAX_DERIVED_CONTAINMENTS);
    if (containments.length > 0) {
      if (!deps.contain) throw new Error('the sweep policy contains, but no ingress is configured');
      await deps.contain(containments, message);
    }
    const reported = [...state.reported, ...fresh.map((f) => f.eventId)];
    const progress = passes.flatMap((p) => p.pass.progress.map((r) => ({ ...p.tag, ...r })));
    const regions = [...new Set(passes.flatMap((p) => p.regions))];
    const pages = passes.reduce((sum, p) => sum + p.pass.pages, 0);
    const failures = passes.flatMap((p) => p.pass.failed);
    // What is not read yet, per account and region: from the span's start to where it had read back to.
    const unread = progress.flatMap((p) =>
      p.unread.map((u) => ({
        ...(p.accountId ? { accountId: p.accountId } : {}),
        region: p.region,
        from: u.from,
        to: u.readBackTo ?? u.to,
      })),
    );
    // A later tick that found nothing new and read everything (in every region) says nothing, unless it read less than it should (`notes`).
    if (fresh.length === 0 && message.watch && unread.length === 0 && failures.length === 0 && notes.length === 0)
      return { reported, progress };
    const contained = new Set(containments.map((c) => c.eventId));
    // The containments are chosen from every new finding; the report lists the most pressing, counts the rest.
    const { listed, more } = capFindings(fresh, contained, settings.policy);
    const recordOf = (f: SweepFinding) => ({
      eventId: clip(f.eventId),
      eventTime: clip(f.eventTime),
      eventName: clip(f.eventName),
      ...('accountId' in f ? { accountId: clip(f.accountId as string) } : {}),
      region: clip(f.region),
      sourceIp: clip(f.sourceIp),
      category: f.category,
      reason: clip(f.reason),
      entities: listedEntities(f.entities),
      action: contained.has(f.eventId) ? ('contained' as const) : ('reported' as const),
    });
    const sweep: SweepReport = {
      from: from.toISOString(),
      to: to.toISOString(),
      regions,
      pages,
      findings: listed.map(recordOf),
      ...(more.length > 0 ? { more } : {}),
      ...(unread.length > 0 ? { unread } : {}),
      ...(failures.length > 0 ? { failed: failures } : {}),
    };
    const record = listed.length > 0 ? await deps.ledger?.get(entity.arn) : undefined;
    // The ledger keeps at most as many as a report lists, over all of a containment's sweeps.
    const room = MAX_REPORTED_FINDINGS - (record?.sweep?.length ?? 0);
    if (record && room > 0)
      await deps.ledger!.recordSweep(entity.arn, record.cycle, capFindings(listed, contained, settings.policy, room).listed.map(recordOf));
    const clamped = lookback.clamped
      ? `; read from ${from.toISOString()}, where event history begins (the compromise was first seen earlier)`
      : '';
    const incomplete =
      unread.length > 0
        ? `; incomplete: ${unread.map((u) => `read back to ${u.to} in ${u.accountId ? `${u.accountId} ` : ''}${u.region}`).join(', ')} (${settings.maxPages} pages a region, SWEEP_MAX_PAGES)`
        : '';
    const where =
      identity.kind === 'identity-center-user'
        ? ` in ${swept.length} account(s) it reached (${swept.join(', ')})${accounts.length > swept.length ? `; ${accounts.length - swept.length} more not read (the first ${MAX_SWEPT_ACCOUNTS} are)` : ''}`
        : '';
    const failed = failures.map((f) => `; ${regionFailure(f)}`).join('');
    const unlisted = more.length > 0 ? `; ${listed.length} listed, ${more.map(moreFindings).join(', ')}` : '';
    return {
      reported,
      progress,
      event: {
        kind: 'swept',
        requestId: message.requestId,
        source: deps.service,
        action: message.action,
        at: to.toISOString(),
        entity,
        request: requestOf(message),
        detail: `the sweep of ${entity.type} ${entity.name} found ${fresh.length} new finding(s)${where}, ${containments.length} sent to containment${unlisted}${clamped}${incomplete}${failed}${notes.map((n) => `; ${n}`).join('')}`,
        sweep,
      },
    };
  };
}

/**
 * The regions a sweep reads when SWEEP_REGIONS names none: every region enabled for the account
 * (an attacker launches where nobody looks), with the entity's and IAM's. A member role that refuses
 * DescribeRegions (one from before the sweep asked for it: a StackSet rolls out after the services)
 * leaves the entity's and IAM's, and a note that says so.
 */
async function regionsOf(
  message: DispatchMessage,
  accountId: string,
  enabledRegions: SweepDeps['enabledRegions'],
): Promise<{ regions: string[]; note?: string }> {
  const own = [...new Set([...('region' in message.entity ? [message.entity.region] : []), globalRegionOf(message.entity.partition)])];
  try {
    return { regions: [...new Set([...own, ...(await enabledRegions(message, accountId))])] };
  } catch (error) {
    if (!isAccessDenied(error)) throw error;
    return { regions: own, note: `regions: DescribeRegions refused (${awsErrorName(error)}), read ${own.join(', ')} only` };
  }
}

/**
 * The identity whose calls the sweep reads: an Identity Center user's as its containment recorded
 * it (its service's `recordedIdentity`), a function's or an instance's with its roles (the current
 * ones, `credentialRoles`, and those its containment recorded: `sweptRolesOf`), with what it could not know.
 */
async function identityOf(
  message: DispatchMessage,
  entity: ReturnType<typeof auditEntity>,
  deps: SweepDeps,
): Promise<{ identity: SweptIdentity | undefined; notes: string[] }> {
  if (entity.type === 'identity-center-user') {
    if (!deps.recordedIdentity) throw new Error(`the sweep of an ${entity.type} needs its service's recordedIdentity`);
    return { identity: await deps.recordedIdentity(message as ServiceMessage<ServiceName>), notes: [] };
  }
  const credentials = entity.type === 'lambda-function' || entity.type === 'ec2-instance';
  if (credentials && !deps.credentialRoles) throw new Error(`the sweep of a ${entity.type} needs its service's credentialRoles`);
  const roles = credentials ? await sweptRolesOf(message as ServiceMessage<ServiceName>, deps.ledger, deps.credentialRoles!) : undefined;
  return { identity: sweptIdentityOf(entity, roles?.roles), notes: roles?.notes ?? [] };
}
