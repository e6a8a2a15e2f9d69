import { escapeHtml } from './escape';

/** One bar (start and end) or one point (start only) on a timeline row; times in seconds from the chart's origin. */
export interface TimelineMark {
  start: number;
  end?: number;
  /** Its colour: a class the page's style sheet defines (`k-<kind>`). */
  kind: string;
  /** The tooltip. */
  title: string;
  /** `data-*` attributes, so a test (or a reader's tool) can find the marks, e.g. `{ step: id }`. */
  data: Record<string, string>;
}

export interface TimelineRow {
  label: string;
  marks: TimelineMark[];
}

/** A moment across every row (received, contained, tampered, released), drawn as a labelled vertical line. */
export interface TimelineEvent {
  at: number;
  label: string;
  kind: string;
}

export interface LinePoint {
  x: number;
  y: number;
}

export interface LineSeries {
  label: string;
  kind: string;
  points: LinePoint[];
}

const LABEL_WIDTH = 300;
const LABEL_CHARS = 46;
const PLOT_WIDTH = 600;
const ROW_HEIGHT = 22;
const AXIS_HEIGHT = 28;
const MIN_BAR = 2;

const round = (n: number) => Math.round(n * 10) / 10;
const attributes = (data: Record<string, string>) =>
  Object.entries(data)
    .map(([name, value]) => ` data-${name.replace(/[^a-z0-9-]/g, '')}="${escapeHtml(value)}"`)
    .join('');

/** Ticks at 1, 2 or 5 times a power of ten, about `count` of them over [min, max]. */
export function niceTicks(min: number, max: number, count = 6): number[] {
  const span = max - min || 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let i = Math.ceil(min / step); i * step <= max + step / 1e6; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

const extent = (values: number[]): [number, number] => {
  const min = Math.min(0, ...values);
  const max = Math.max(...values, min + 1);
  return [min, max];
};

/**
 * A Gantt-like timeline: one row per label, its bars and points on a shared time axis (seconds),
 * and the moments that concern every row as vertical lines. Every text is escaped.
 */
export function timelineSvg(rows: TimelineRow[], events: TimelineEvent[], caption: string): string {
  const times = [...rows.flatMap((r) => r.marks.flatMap((m) => [m.start, m.end ?? m.start])), ...events.map((e) => e.at)];
  const [min, max] = extent(times);
  const x = (t: number) => round(LABEL_WIDTH + ((t - min) / (max - min)) * PLOT_WIDTH);
  const top = 16 + events.length * 12;
  const height = top + rows.length * ROW_HEIGHT + AXIS_HEIGHT;
  const width = LABEL_WIDTH + PLOT_WIDTH + 20;
  const parts: string[] = [];
  rows.forEach((row, i) => {
    const y = top + i * ROW_HEIGHT;
    const label = row.label.length > LABEL_CHARS ? `${row.label.slice(0, LABEL_CHARS - 1)}…` : row.label;
    parts.push(
      `<text class="row-label" x="${LABEL_WIDTH - 8}" y="${y + 15}" text-anchor="end">${escapeHtml(label)}<title>${escapeHtml(row.label)}</title></text>`,
    );
    for (const mark of row.marks) {
      const tooltip = `<title>${escapeHtml(mark.title)}</title>`;
      const kind = `k-${escapeHtml(mark.kind)}`;
      if (mark.end === undefined)
        parts.push(`<circle class="${kind}" cx="${x(mark.start)}" cy="${y + 11}" r="4"${attributes(mark.data)}>${tooltip}</circle>`);
      else
        parts.push(
          `<rect class="${kind}" x="${x(mark.start)}" y="${y + 4}" width="${Math.max(MIN_BAR, round(x(mark.end) - x(mark.start)))}" height="${ROW_HEIGHT - 8}"${attributes(mark.data)}>${tooltip}</rect>`,
        );
    }
  });
  events.forEach((event, i) => {
    const at = x(event.at);
    parts.push(
      `<line class="event k-${escapeHtml(event.kind)}" x1="${at}" x2="${at}" y1="${12 + i * 12}" y2="${top + rows.length * ROW_HEIGHT}" data-event="${escapeHtml(event.kind)}"><title>${escapeHtml(event.label)}</title></line>`,
      // Labels in the right half end at their line, so none runs off the chart.
      at > LABEL_WIDTH + PLOT_WIDTH / 2
        ? `<text class="event-label" x="${at - 3}" y="${10 + i * 12}" text-anchor="end">${escapeHtml(event.label)}</text>`
        : `<text class="event-label" x="${at + 3}" y="${10 + i * 12}">${escapeHtml(event.label)}</text>`,
    );
  });
  const axisY = top + rows.length * ROW_HEIGHT;
  parts.push(`<line class="axis" x1="${LABEL_WIDTH}" x2="${LABEL_WIDTH + PLOT_WIDTH}" y1="${axisY}" y2="${axisY}"/>`);
  for (const tick of niceTicks(min, max))
    parts.push(`<text class="tick" x="${x(tick)}" y="${axisY + 16}" text-anchor="middle">${tick} s</text>`);
  return `<svg class="chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><desc>${escapeHtml(caption)}</desc>${parts.join('')}</svg>`;
}

/** A line chart: each series a polyline over shared axes (x in seconds), with a legend. */
export function lineChartSvg(series: LineSeries[], axes: { x: string; y: string }): string {
  const points = series.flatMap((s) => s.points);
  const [xMin, xMax] = extent(points.map((p) => p.x));
  const [yMin, yMax] = extent(points.map((p) => p.y));
  const left = 60;
  const width = 760;
  const height = 340;
  const plot = { w: width - left - 20, h: height - 70 };
  const x = (v: number) => round(left + ((v - xMin) / (xMax - xMin)) * plot.w);
  const y = (v: number) => round(20 + plot.h - ((v - yMin) / (yMax - yMin)) * plot.h);
  const parts: string[] = [
    `<line class="axis" x1="${left}" x2="${left + plot.w}" y1="${y(yMin)}" y2="${y(yMin)}"/>`,
    `<line class="axis" x1="${left}" x2="${left}" y1="20" y2="${y(yMin)}"/>`,
    ...niceTicks(xMin, xMax).map((t) => `<text class="tick" x="${x(t)}" y="${y(yMin) + 16}" text-anchor="middle">${t}</text>`),
    ...niceTicks(yMin, yMax, 5).map((t) => `<text class="tick" x="${left - 6}" y="${y(t) + 4}" text-anchor="end">${t}</text>`),
    `<text class="axis-label" x="${left + plot.w / 2}" y="${height - 22}" text-anchor="middle">${escapeHtml(axes.x)}</text>`,
    `<text class="axis-label" x="14" y="14">${escapeHtml(axes.y)}</text>`,
  ];
  series.forEach((s, i) => {
    const path = s.points.map((p) => `${x(p.x)},${y(p.y)}`).join(' ');
    parts.push(
      `<polyline class="line k-${escapeHtml(s.kind)}" points="${path}" data-series="${escapeHtml(s.label)}"><title>${escapeHtml(s.label)}</title></polyline>`,
      `<rect class="k-${escapeHtml(s.kind)}" x="${left + i * 260}" y="${height - 12}" width="12" height="8"/>`,
      `<text class="legend" x="${left + i * 260 + 16}" y="${height - 4}">${escapeHtml(s.label)}</text>`,
    );
  });
  return `<svg class="chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}
