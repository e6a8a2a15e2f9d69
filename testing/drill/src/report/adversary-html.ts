import type { CampaignReport } from '../adversary/campaign';
import { escapeHtml } from '@lockdown/cli';
import { legend, table } from '@lockdown/cli';
import { TimelineMark, TimelineRow, timelineSvg } from '@lockdown/cli';

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** One row per entity and configuration: each undo attempt (refused, or took effect), each put-back by lockdown, and its CONTAINED report. */
export function adversaryRows(reports: CampaignReport[]): TimelineRow[] {
  return reports.flatMap((report) =>
    report.outcomes.map((o) => {
      // The reads first, the attempts over them: a refused or successful undo is never hidden under a read.
      const marks: TimelineMark[] = o.events
        .filter((e) => e.kind === 'observe' && e.result === 'allowed')
        .map((e) => ({
          start: seconds(e.at),
          kind: 'observed',
          title: `${seconds(e.at)} s: ${e.what} with the entity's own credentials: accepted`,
          data: {},
        }));
      for (const e of o.events.filter((x) => x.kind === 'tamper'))
        marks.push({
          start: seconds(e.at),
          kind: e.result === 'refused' ? 'refused' : e.result === 'allowed' ? 'allowed' : 'failed',
          title: `${seconds(e.at)} s, ${e.actor}: ${e.what}: ${e.result}`,
          data: { attempt: e.result },
        });
      for (const t of o.tampered)
        marks.push({
          start: seconds(t.at),
          kind: 'put-back',
          title: `${seconds(t.at)} s: TAMPERED, ${t.steps} step(s) put back`,
          data: { putback: String(t.steps) },
        });
      if (o.containedAt !== undefined)
        marks.push({
          start: seconds(o.containedAt),
          kind: 'contained',
          title: `${seconds(o.containedAt)} s: CONTAINED (verified)`,
          data: { contained: o.entity },
        });
      return { label: `${o.entity} (${report.configuration})`, marks };
    }),
  );
}

/** The adversarial drill's scorecard as a picture (a timeline of attempts per entity and configuration) and as a table. */
export function adversarySection(reports: CampaignReport[], propagationSeconds: number): string {
  const s = (v: number | null) => (v === null ? 'never' : `${v} s`);
  return [
    '<h2>The attackers against lockdown</h2>',
    `<p class="muted">Per entity, an attacker with its own stolen credentials and one with a second administrator undo every lockdown change they see; IAM takes ${escapeHtml(propagationSeconds)} s to enforce a change. Seconds from the containment request.</p>`,
    timelineSvg(
      adversaryRows(reports),
      [{ at: 0, label: 'request', kind: 'received' }],
      'Attempts to undo the containment, per entity and configuration',
    ),
    legend(['refused', 'allowed', 'put-back', 'contained', 'observed']),
    table(
      ['Entity', 'Configuration', 'Contained', 'Held', 'Attempts', 'Refused', 'Took effect', 'Put back', 'Exposed'],
      reports.flatMap((r) =>
        r.scores.map((x) => [
          escapeHtml(x.entity),
          escapeHtml(x.configuration),
          s(x.containedSeconds),
          s(x.heldSeconds),
          String(x.attempts),
          String(x.blocked),
          String(x.tookEffect),
          String(x.putBack),
          `${x.exposedSeconds} s`,
        ]),
      ),
    ),
  ].join('\n');
}
