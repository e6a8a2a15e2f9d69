import { BatchUpdateFindingsCommand, SecurityHubClient, SecurityHubClientConfig } from '@aws-sdk/client-securityhub';
import type { FindingRef } from '@lockdown/contracts';

/** Security Hub's limit on a note's text. */
export const MAX_NOTE_LENGTH = 512;

export interface FindingNote {
  findings: FindingRef[];
  text: string;
  /** The workflow status to set (NOTIFIED: a responder's tool acted on it); none keeps the status. */
  workflow?: 'NOTIFIED';
}

/** What Security Hub did not update (a finding it does not hold, e.g. Security Hub off in that region). */
export interface Unprocessed {
  finding: FindingRef;
  reason: string;
}

/** The region of a finding's Security Hub (its product ARN's). */
const regionOf = (finding: FindingRef) => finding.productArn.split(':')[3] ?? '';

/**
 * Writes lockdown's notes on Security Hub findings (BatchUpdateFindings, in each finding's
 * region). A refused call throws (the invocation is retried); findings Security Hub could not
 * update are returned, since retrying would not change them.
 */
export class FindingNotes {
  private readonly clients = new Map<string, SecurityHubClient>();

  constructor(private readonly clientFor: (region: string) => SecurityHubClient) {}

  static withConfig(config: SecurityHubClientConfig): FindingNotes {
    return new FindingNotes((region) => new SecurityHubClient({ ...config, region }));
  }

  async write(note: FindingNote): Promise<Unprocessed[]> {
    const byRegion = new Map<string, FindingRef[]>();
    for (const finding of note.findings) byRegion.set(regionOf(finding), [...(byRegion.get(regionOf(finding)) ?? []), finding]);
    const text = note.text.length <= MAX_NOTE_LENGTH ? note.text : `${note.text.slice(0, MAX_NOTE_LENGTH - 3)}...`;
    const answers = await Promise.all(
      [...byRegion].map(async ([region, findings]) => {
        const client = this.clients.get(region) ?? this.clientFor(region);
        this.clients.set(region, client);
        const { UnprocessedFindings = [] } = await client.send(
          new BatchUpdateFindingsCommand({
            FindingIdentifiers: findings.map((f) => ({ Id: f.id, ProductArn: f.productArn })),
            Note: { Text: text, UpdatedBy: 'lockdown' },
            ...(note.workflow ? { Workflow: { Status: note.workflow } } : {}),
          }),
        );
        return UnprocessedFindings.map((u) => ({
          finding: { id: u.FindingIdentifier?.Id ?? '', productArn: u.FindingIdentifier?.ProductArn ?? '' },
          reason: `${u.ErrorCode ?? 'error'}: ${u.ErrorMessage ?? 'not updated'}`,
        }));
      }),
    );
    return answers.flat();
  }
}
