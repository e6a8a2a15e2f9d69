import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a presented ExternalId with the expected one in constant time: both are hashed first,
 * so neither their contents nor their lengths change how long the comparison takes.
 */
export function externalIdMatches(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  const same = timingSafeEqual(digest(presented), digest(expected));
  return same && expected.length > 0;
}
