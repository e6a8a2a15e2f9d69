/**
 * The sweep's bounds and defaults, one definition: the services read them from their environment
 * (SWEEP_LOOKBACK_HOURS, SWEEP_MAX_PAGES) and the deployment's configuration (`sweep`) checks them at synthesis.
 */
export const SWEEP_LIMITS = {
  /** Hours before the request the sweep reads: CloudTrail's event history keeps 90 days. */
  lookbackHours: { min: 1, max: 24 * 90, default: 24 },
  /** LookupEvents pages per pass (50 events each, 2 requests a second per account and region). */
  maxPages: { min: 1, max: 200, default: 40 },
} as const;
