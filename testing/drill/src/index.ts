// What the bench uses of the drill: the local pipeline, the adversarial campaigns and their printed
// and drawn scorecards.
export { runAdversary } from './adversary/campaign';
export type { CampaignReport } from './adversary/campaign';
export { runReadmeAttackers } from './adversary/readme-attacker';
export { ADVERSARY_POLL_MS, ADVERSARY_WATCH_SCHEDULE, DEFAULT_PROPAGATION_SECONDS, printEscapes, printScorecard } from './drill-command';
export { LocalPipeline } from './local-pipeline';
export type { AuditEmail } from './local-pipeline';
export { adversarySection } from './report/adversary-html';
export { renderAdversaryHtml, renderDrillHtml } from './report/drill-html';
export type { DrillReport } from './run-drill';
