import { CloudTrailClient, InvalidNextTokenException, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { EventHistory, PageTokenExpired, TrailRecord } from '@lockdown/sweep';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * LookupEvents' quota: 2 requests per second per account and Region (CloudTrail API Reference,
 * LookupEvents). One page every 500 ms per region stays within it; the SDK's standard retries
 * take care of a throttle caused by another caller of the account.
 */
export const LOOKUP_INTERVAL_MS = 500;
/**
 * The retries of the sweep's CloudTrail clients: the sweeps of concurrent containments in one
 * account share its 2 requests per second, so back off and rate-limit on a throttle (adaptive), longer.
 */
export const SWEEP_RETRIES = { retryMode: 'adaptive' as const, maxAttempts: 10 };

/** LookupEvents' largest page. */
const PAGE_SIZE = 50;

/**
 * The member account's CloudTrail event history (the sweep's port), one client per region, paced
 * within LookupEvents' quota: the only waiting the sweep does is between two pages.
 */
export class CloudTrailHistory implements EventHistory {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly clientFor: (region: string) => CloudTrailClient,
    private readonly intervalMs = LOOKUP_INTERVAL_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async lookup({ region, lookup, start, end, nextToken }: Parameters<EventHistory['lookup']>[0]) {
    const wait = (this.last.get(region) ?? Number.NEGATIVE_INFINITY) + this.intervalMs - this.now();
    if (wait > 0) await delay(wait);
    this.last.set(region, this.now());
    const page = await this.clientFor(region)
      .send(
        new LookupEventsCommand({
          LookupAttributes: [lookup],
          StartTime: start,
          EndTime: end,
          MaxResults: PAGE_SIZE,
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      )
      .catch((error: unknown) => {
        // A token carried from an earlier tick that CloudTrail no longer takes: the sweep asks again by time.
        if (nextToken && error instanceof InvalidNextTokenException) throw new PageTokenExpired(error.message);
        throw error;
      });
    return {
      records: (page.Events ?? []).flatMap((e) => (e.CloudTrailEvent ? [JSON.parse(e.CloudTrailEvent) as TrailRecord] : [])),
      ...(page.NextToken ? { nextToken: page.NextToken } : {}),
    };
  }
}
