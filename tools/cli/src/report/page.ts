import { escapeHtml } from './escape';

/** The colours of the marks (`k-<kind>`), shared by every chart, with what each means in the legend. */
export const MARK_KINDS = {
  applied: ['#2e7d32', 'applied'],
  reapplied: ['#1565c0', 're-applied (verify or tamper watch)'],
  skipped: ['#9e9e9e', 'skipped'],
  failed: ['#c62828', 'failed'],
  pending: ['#bdbdbd', 'pending'],
  undone: ['#ef8f00', 'undone (release)'],
  refused: ['#2e7d32', 'refused by AWS'],
  allowed: ['#c62828', 'took effect'],
  'put-back': ['#1565c0', 'put back by lockdown'],
  observed: ['#9e9e9e', "read with the entity's own credentials (accepted)"],
  contained: ['#6a1b9a', 'contained (CONTAINED report)'],
  bound: ['#9e9e9e', 'rate-limit bound'],
} as const satisfies Record<string, readonly [string, string]>;
export type MarkKind = keyof typeof MARK_KINDS;

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #212121; margin: 24px auto; max-width: 1040px; padding: 0 16px; }
h1 { font-size: 20px; margin-bottom: 4px; } h2 { font-size: 16px; margin-top: 28px; border-bottom: 1px solid #e0e0e0; }
.sub { color: #616161; margin-top: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; } th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid #eeeeee; }
th { background: #fafafa; font-weight: 600; } td { overflow-wrap: break-word; }
pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 12px; }
.chart { max-width: 100%; height: auto; display: block; } .chart text { font-size: 11px; fill: #424242; }
.chart .axis { stroke: #9e9e9e; } .chart .event { stroke-width: 1; stroke-dasharray: 3 2; stroke: #616161; }
.chart .line { fill: none; stroke-width: 2; } .chart .k-bound.line { stroke-dasharray: 6 4; }
.legend-row span { display: inline-block; margin-right: 14px; } .legend-row i { display: inline-block; width: 12px; height: 10px; margin-right: 4px; }
.muted { color: #757575; }
.chart circle.k-observed { r: 2.5px; } .chart circle.k-contained { r: 6px; fill: none; stroke: #6a1b9a; stroke-width: 2; }
${Object.entries(MARK_KINDS)
  .map(
    ([kind, [colour]]) => `.k-${kind} { fill: ${colour}; } .line.k-${kind} { stroke: ${colour}; } .event.k-${kind} { stroke: ${colour}; }`,
  )
  .join('\n')}
`;

/** A legend for the kinds a chart uses. */
export const legend = (kinds: MarkKind[]) =>
  `<p class="legend-row">${kinds.map((k) => `<span><i style="background:${MARK_KINDS[k][0]}"></i>${escapeHtml(MARK_KINDS[k][1])}</span>`).join('')}</p>`;

/** One self-contained page: inline style, inline SVG, no script, nothing fetched (the CSP forbids it). */
export const htmlPage = (title: string, body: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;

/** A table whose cells are already-escaped HTML. */
export const table = (headers: string[], rows: string[][]) =>
  `<table>${headers.some((h) => h) ? `<thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>` : ''}<tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
