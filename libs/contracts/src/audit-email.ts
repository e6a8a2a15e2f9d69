import { AuditEvent, SweepReport } from './audit-event';
import { AUTHORITIES, describeAuthority } from './authority';

/** SNS refuses subjects of 100 characters or more. */
export const MAX_SUBJECT_LENGTH = 99;

export interface AuditEmail {
  subject: string;
  body: string;
}

// SNS subjects: printable ASCII, no line breaks.
const toSubjectText = (text: string) => text.replace(/[^\x20-\x7e]/g, '?');

export function auditSubject(event: AuditEvent): string {
  const what = event.entity ? `${event.entity.type} ${event.entity.name} in ${event.entity.accountId}` : (event.target ?? 'request');
  const verb = event.kind === 'noop' ? 'NO-OP' : event.kind.toUpperCase();
  const prefix = event.request?.dryRun ? '[lockdown] DRY-RUN ' : '[lockdown] ';
  const subject = toSubjectText(`${prefix}${verb} ${what}`);
  return subject.length <= MAX_SUBJECT_LENGTH ? subject : `${subject.slice(0, MAX_SUBJECT_LENGTH - 3)}...`;
}

/** Renders an audit event as an email a responder can read top to bottom. */
export function renderAuditEmail(event: AuditEvent): AuditEmail {
  const lines: string[] = [];
  lines.push(`${event.kind.toUpperCase()}: ${event.detail}`, '');
  if (event.entity) {
    lines.push(`What:        ${event.entity.type} ${event.entity.name}`);
    lines.push(`ARN:         ${event.entity.arn}`);
    lines.push(`Where:       account ${event.entity.accountId}${event.entity.region ? `, ${event.entity.region}` : ' (global)'}`);
  } else if (event.target !== undefined) {
    lines.push(`Target:      ${event.target}`);
  }
  if (event.action) lines.push(`Action:      ${event.action}${event.request?.dryRun ? ' (dry run: nothing changed)' : ''}`);
  lines.push(`Who asked:   ${event.request?.requestedBy ?? 'not stated'}`);
  if (event.request?.authority)
    lines.push(`Authority:   ${describeAuthority(event.request.authority, event.action, event.request.finding)}`);
  lines.push(`Why:         ${event.request?.reason ?? 'not stated'}${event.request?.ticket ? ` (ticket ${event.request.ticket})` : ''}`);
  if (event.request?.finding) lines.push(`Finding:     ${event.request.finding.id}`);
  lines.push(`Requested:   ${event.request?.requestedAt ?? 'unknown'}`);
  if (event.request?.firstSeenAt) lines.push(`First seen:  ${event.request.firstSeenAt}`);
  lines.push(`Recorded:    ${event.at} by ${event.source}`);
  lines.push(`Request id:  ${event.requestId}`);
  if (event.code) lines.push(`Reason code: ${event.code}`);
  if (event.steps && event.steps.length > 0) {
    lines.push('', 'Steps:');
    event.steps.forEach((step, index) => {
      const detail = step.detail ? ` (${step.detail})` : '';
      lines.push(`  ${index + 1}. [${step.outcome}] ${step.description}${detail}${step.at ? ` at ${step.at}` : ''}`);
    });
  }
  if (event.sweep) lines.push('', ...sweepSection(event.sweep));
  if (event.release) lines.push('', 'To release:', `  ${event.release}`);
  return { subject: auditSubject(event), body: lines.join('\n') };
}

/** "What the attacker left": each finding with its CloudTrail evidence. */
function sweepSection(sweep: SweepReport): string[] {
  const lines = [
    `What the attacker left (CloudTrail ${sweep.from} to ${sweep.to}, ${sweep.regions.join(', ')}; ${sweep.pages} LookupEvents pages):`,
  ];
  if (sweep.findings.length === 0) lines.push('  nothing new');
  sweep.findings.forEach((f, index) => {
    lines.push(`  ${index + 1}. [${f.category}] ${f.reason}: ${f.entities.join(', ') || 'unnamed'} (${f.action})`);
    lines.push(
      `     ${f.eventName} at ${f.eventTime} in ${f.accountId ? `${f.accountId} ` : ''}${f.region} from ${f.sourceIp}, event ${f.eventId}`,
    );
  });
  for (const m of sweep.more ?? []) lines.push(`  ${moreFindings(m)} (not listed; each in CloudTrail)`);
  for (const u of sweep.unread ?? [])
    lines.push(
      `  incomplete: read back to ${u.to} in ${u.accountId ? `${u.accountId} ` : ''}${u.region} (${u.from} to ${u.to} not read yet)`,
    );
  for (const f of sweep.failed ?? []) lines.push(`  ${regionFailure(f)} (not read; a later tick reads it again)`);
  return lines;
}

/** A region the sweep could not read, as its record's detail and email say it. */
export const regionFailure = (f: { region: string; reason: string }) => `failed: ${f.region} (${f.reason})`;

/** The findings of a category a sweep's report counts without listing them, as its detail and email say it. */
export const moreFindings = (m: { category: string; count: number }) => `and ${m.count} more of ${m.category}`;

/** The release instructions included in a `contained` email. */
export function releaseInstructions(arn: string): string {
  return `lockdown release ${arn}   (or publish to the release topic ${AUTHORITIES.release.topicName} with attributes Arn=${arn}, ExternalId=<secret>, Action=release)`;
}
