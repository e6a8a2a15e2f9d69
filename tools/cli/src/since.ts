import { FirstSeenSchema } from '@lockdown/contracts';
import { CliError, EXIT } from './errors';

const AGO = /^(\d+)([hd])$/;

/**
 * `--since`: when the compromise was first seen, as an ISO 8601 date-time or a time ago (`30h`,
 * `3d`); the request carries it (`firstSeenAt`) and the sweep reads CloudTrail from there.
 */
export function parseSince(value: string, now: Date = new Date()): string {
  const ago = AGO.exec(value.trim());
  if (ago) return new Date(now.getTime() - Number(ago[1]) * (ago[2] === 'd' ? 86_400_000 : 3_600_000)).toISOString();
  if (FirstSeenSchema.safeParse(value).success) return new Date(value).toISOString();
  throw new CliError(
    `--since must be an ISO 8601 date-time or a time ago such as 30h or 3d, got "${value}"; nothing was sent`,
    EXIT.invalidInput,
  );
}
