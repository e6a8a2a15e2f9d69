import { Category } from './persistence-table';
import { SweepFinding } from './finding';
import { MAX_FINDING_TEXT, capFindings, clip, listedEntities } from './report-cap';

const finding = (id: string, category: Category, second: number): SweepFinding => ({
  eventId: id,
  eventTime: `2026-11-26T12:00:${String(second).padStart(2, '0')}Z`,
  eventName: 'X',
  region: 'us-east-1',
  sourceIp: '203.0.113.7',
  category,
  reason: 'r',
  entities: [],
});

describe('the findings a report lists', () => {
  it('lists what was contained, then what the policy contains, then by severity, then the newest; counts the rest by category', () => {
    const findings = [
      finding('acl-old', 'data-exposure', 1),
      finding('trail', 'logging-tampering', 2),
      finding('contained-user', 'new-principal', 3),
      finding('key', 'new-credential', 4),
      finding('instance', 'new-compute', 5),
      finding('acl-new', 'data-exposure', 6),
      finding('user', 'new-principal', 7),
    ];

    const { listed, more } = capFindings(findings, new Set(['contained-user']), { 'new-compute': 'contain' }, 4);

    // Listed oldest first.
    expect(listed.map((f) => f.eventId)).toEqual(['contained-user', 'key', 'instance', 'user']);
    expect(more).toEqual([
      { category: 'data-exposure', count: 2 },
      { category: 'logging-tampering', count: 1 },
    ]);
  });

  it('lists everything, counting nothing, under the cap; a policy naming a report-only category does not raise it', () => {
    const findings = [finding('a', 'privilege-escalation', 1), finding('b', 'new-principal', 2)];

    expect(capFindings(findings, new Set(), { 'privilege-escalation': 'contain' }, 1).listed.map((f) => f.eventId)).toEqual(['b']);
    expect(capFindings(findings, new Set(), {})).toEqual({ listed: findings, more: [] });
  });

  it('cuts long texts and counts the entities beyond the fourth', () => {
    const accounts = Array.from({ length: 1000 }, (_, i) => String(100000000000 + i)).join(', ');
    const entities = Array.from({ length: 6 }, (_, i) => ({
      kind: 'snapshot' as const,
      id: `snap-${i}`,
      detail: `shared with ${accounts}`,
    }));

    const listed = listedEntities(entities);

    expect(listed).toHaveLength(5);
    expect(listed.slice(0, 4).every((e) => e.length === MAX_FINDING_TEXT && e.endsWith('…'))).toBe(true);
    expect(listed[4]).toBe('and 2 more');
    expect(clip('short')).toBe('short');
  });
});
