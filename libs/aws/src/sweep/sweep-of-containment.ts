import { AuditEvent, DispatchMessage, ServiceMessage, ServiceName, SweepReport, globalRegionOf } from '@lockdown/contracts';
import type { LedgerPort, Outcome } from '@lockdown/containment';
import { DerivedContainment, EventHistory, containmentsOf, lookbackStart, newFindings, sweepPass, sweptIdentityOf } from '@lockdown/sweep';
import { auditEntity, requestOf } from '../service-runtime/audit-of-outcome';
import type { SweepSettings } from './sweep-settings';

/** Who a containment the sweep derived says requested it (the intake passes it on): such a request's own sweep reports only. */
export const DERIVED_REQUESTER = 'lockdown-sweep';

export interface SweepDeps {
  service: string;
  settings: SweepSettings;
  /** The member account's event history, with the member role's credentials for this request. */
  historyFor(message: DispatchMessage): EventHistory;
  /** The service's ledger: the findings are kept on the entity's record (`lockdown status` shows them). */
  ledger?: Pick<LedgerPort, 'get' | 'recordSweep'>;
  /**
   * The roles whose sessions named after a contained function or instance are its credentials (its
   * execution role, its instance profile's roles): its service reads them (`CredentialRoles`).
   */
  credentialRoles?: CredentialRoles;
  /** Sends the policy's containments to the intake, as requests derived from this one. */
  contain?(containments: DerivedContainment[], message: DispatchMessage): Promise<void>;
  now(): Date;
}

/** Reads the roles a function's or an instance's credentials are sessions of (its service's adapter, with the member role). */
export type CredentialRoles<S extends ServiceName = ServiceName> = (message: ServiceMessage<S>) => Promise<string[]>;

/** The result of one sweep: its audit record (none on a later tick that found nothing new) and every event id reported so far. */
export interface SweepResult {
  event?: AuditEvent;
  reported: string[];
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
  return async (message: DispatchMessage, reported: readonly string[]): Promise<SweepResult | undefined> => {
    const entity = auditEntity(message.entity);
    const credentials = entity.type === 'lambda-function' || entity.type === 'ec2-instance';
    if (credentials && !deps.credentialRoles) throw new Error(`the sweep of a ${entity.type} needs its service's credentialRoles`);
    const identity = sweptIdentityOf(entity, credentials ? await deps.credentialRoles!(message as ServiceMessage<ServiceName>) : []);
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
    const regions = settings.regions ?? [
      ...new Set([entity.region, globalRegionOf(message.entity.partition)].filter((r): r is string => !!r)),
    ];
    const pass = await sweepPass(identity, { regions, start: from, end: to }, deps.historyFor(message), settings.maxPages);
    const fresh = newFindings(pass.findings, new Set(reported));
    // A containment the sweep derived reports only: one containment never cascades into others.
    const derived = message.requestedBy?.startsWith(DERIVED_REQUESTER) ?? false;
    const containments = derived ? [] : containmentsOf(fresh, settings.policy, entity.accountId, message.entity.partition, entity.arn);
    if (containments.length > 0) {
      if (!deps.contain) throw new Error('the sweep policy contains, but no ingress is configured');
      await deps.contain(containments, message);
    }
    const nowReported = [...reported, ...fresh.map((f) => f.eventId)];
    if (fresh.length === 0 && message.watch && !pass.cursor) return { reported: nowReported };
    const contained = new Set(containments.map((c) => c.eventId));
    const sweep: SweepReport = {
      from: from.toISOString(),
      to: to.toISOString(),
      regions,
      pages: pass.pages,
      findings: fresh.map((f) => ({
        eventId: f.eventId,
        eventTime: f.eventTime,
        eventName: f.eventName,
        region: f.region,
        sourceIp: f.sourceIp,
        category: f.category,
        reason: f.reason,
        entities: f.entities.map((e) => `${e.kind} ${e.id}${e.owner ? ` of ${e.owner}` : ''}${e.detail ? ` (${e.detail})` : ''}`),
        action: contained.has(f.eventId) ? 'contained' : 'reported',
      })),
    };
    const record = sweep.findings.length > 0 ? await deps.ledger?.get(entity.arn) : undefined;
    if (record) await deps.ledger!.recordSweep(entity.arn, record.cycle, sweep.findings);
    const clamped = lookback.clamped
      ? `; read from ${from.toISOString()}, where event history begins (the compromise was first seen earlier)`
      : '';
    const incomplete = pass.cursor ? `; stopped after ${pass.pages} pages (SWEEP_MAX_PAGES), the next tick reads again` : '';
    return {
      reported: nowReported,
      event: {
        kind: 'swept',
        requestId: message.requestId,
        source: deps.service,
        action: message.action,
        at: to.toISOString(),
        entity,
        request: requestOf(message),
        detail: `the sweep of ${entity.type} ${entity.name} found ${fresh.length} new finding(s), ${containments.length} sent to containment${clamped}${incomplete}`,
        sweep,
      },
    };
  };
}
