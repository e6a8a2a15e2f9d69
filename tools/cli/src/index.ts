// What the proving ground (the drill, the bench) uses of the operator's CLI: its command line, its
// output and the report's HTML parts. Nothing here imports the proving ground.
export { commandLine } from './command-line';
export { CliError, EXIT } from './errors';
export { Output } from './output';
export { SILENT_PROGRESS } from './progress';
export type { Progress } from './progress';
export { formatRecords, formatTable } from './table';
export { escapeHtml } from './report/escape';
export { incidentSections } from './report/incident-html';
export { buildIncidentReport } from './report/incident-model';
export { htmlPage, legend, table } from './report/page';
export { lineChartSvg, timelineSvg } from './report/svg-chart';
export type { LinePoint, TimelineMark, TimelineRow } from './report/svg-chart';
