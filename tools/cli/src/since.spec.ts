import { CliError } from './errors';
import { parseSince } from './since';

describe('--since (when the compromise was first seen)', () => {
  const now = new Date('2026-11-26T12:00:00Z');

  it('takes an ISO 8601 date-time (any offset) or a time ago in hours or days, as UTC', () => {
    expect(parseSince('2026-11-24T22:00:00+02:00', now)).toBe('2026-11-24T20:00:00.000Z');
    expect(parseSince('30h', now)).toBe('2026-11-25T06:00:00.000Z');
    expect(parseSince('3d', now)).toBe('2026-11-23T12:00:00.000Z');
  });

  it.each(['yesterday', '30m', '2026-02-30T00:00:00Z', ''])('refuses "%s" before anything is sent', (value) => {
    expect(() => parseSince(value, now)).toThrow(CliError);
  });
});
