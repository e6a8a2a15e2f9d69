export type Cell = string | number;

/**
 * A table for a terminal: columns aligned under their headings (numbers to the right), a rule
 * under the heading. One formatter for the drill, the scorecard and the bench.
 */
export function formatTable(headings: string[], rows: Cell[][], options: { indent?: number } = {}): string[] {
  const widths = headings.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i] ?? '').length)));
  const numeric = headings.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  const pad = (cell: Cell | undefined, i: number) =>
    numeric[i] ? String(cell ?? '').padStart(widths[i]!) : String(cell ?? '').padEnd(widths[i]!);
  const line = (cells: Array<Cell | undefined>) => `${' '.repeat(options.indent ?? 0)}${cells.map(pad).join('  ').trimEnd()}`;
  return [line(headings), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** Named records as a table: one row per name, one column per field (the first record's fields). */
export function formatRecords(records: Record<string, object>, options: { indent?: number } = {}): string[] {
  const fields = Object.keys(Object.values(records)[0] ?? {});
  const cell = (value: unknown): Cell => (typeof value === 'number' ? value : String(value ?? ''));
  return formatTable(
    ['', ...fields],
    Object.entries(records).map(([name, record]) => [name, ...fields.map((f) => cell((record as Record<string, unknown>)[f]))]),
    options,
  );
}
