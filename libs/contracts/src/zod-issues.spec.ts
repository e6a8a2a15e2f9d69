import { object, strictObject, string } from 'zod/mini';
import { formatIssues } from './zod-issues';

describe('formatIssues, the one way a zod error becomes a reason', () => {
  const schema = object({ a: string({ error: 'a is not set' }), b: object({ c: string() }) });

  it('says where each issue is, and the path once when the message already names it', () => {
    const error = schema.safeParse({ b: { c: 1 } }).error!;

    expect(formatIssues(error)).toBe('a is not set; b.c: Invalid input: expected string, received number');
  });

  it('keeps the first issues only when asked, and names a pathless issue by its root', () => {
    expect(formatIssues(schema.safeParse({ b: {} }).error!, { limit: 1 })).toBe('a is not set');
    expect(formatIssues(string().safeParse(1).error!, { root: 'body' })).toBe('body: Invalid input: expected string, received number');
  });

  it('lists unknown fields by name', () => {
    const error = strictObject({ reason: string() }).safeParse({ reason: 'x', color: 'red' }).error!;

    expect(formatIssues(error)).toBe('unknown field(s): color');
  });
});
