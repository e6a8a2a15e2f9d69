import { externalIdMatches } from './external-id';

describe('externalIdMatches', () => {
  it('matches only the identical value', () => {
    expect(externalIdMatches('abc-123', 'abc-123')).toBe(true);
    expect(externalIdMatches('abc-124', 'abc-123')).toBe(false);
    expect(externalIdMatches('ABC-123', 'abc-123')).toBe(false);
    expect(externalIdMatches('abc-1234', 'abc-123')).toBe(false);
  });

  it('never matches when no ExternalId is configured', () => {
    expect(externalIdMatches('', '')).toBe(false);
  });
});
