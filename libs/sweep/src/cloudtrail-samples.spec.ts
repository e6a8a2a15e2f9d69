import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { classify } from './classify';
import { CATEGORIES } from './persistence-table';

/**
 * Real CloudTrail records from public sources (each file names its source): the table must read
 * them as a responder would. A file is `{ source, description, record, expected: { category | null, entities } }`.
 */
const DIRECTORY = join(__dirname, 'cloudtrail-samples');
const samples = readdirSync(DIRECTORY)
  .filter((name) => name.endsWith('.json'))
  .map((name) => ({ name, ...JSON.parse(readFileSync(join(DIRECTORY, name), 'utf8')) }));

describe('classify, on real CloudTrail records', () => {
  it('has samples to check, each with its source', () => {
    expect(samples.length).toBeGreaterThan(0);
    for (const sample of samples) expect(sample.source).toMatch(/\S/);
  });

  it.each(samples.map((s) => [s.name, s] as const))('%s', (_name, { record, expected }) => {
    expect(expected.category === null || CATEGORIES.includes(expected.category)).toBe(true);

    const classified = classify(record);

    expect(classified?.category ?? null).toBe(expected.category);
    expect(classified?.entities.map((e) => e.id) ?? []).toEqual(expected.entities);
  });
});
