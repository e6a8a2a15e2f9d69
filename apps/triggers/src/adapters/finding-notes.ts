import {
  BatchUpdateFindingsCommand,
  BatchUpdateFindingsV2Command,
  SecurityHubClient,
  SecurityHubClientConfig,
} from '@aws-sdk/client-securityhub';
import type { FindingRef } from '@lockdown/contracts';
import { isOcsfRef } from '@lockdown/findings';

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

/**
 * OCSF `status_id` In Progress: what BatchUpdateFindingsV2 sets where BatchUpdateFindings sets the
 * workflow NOTIFIED (a responder's tool acted on it). The API's StatusId: 0 to 5 or 99
 * (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchUpdateFindingsV2.html).
 */
const OCSF_IN_PROGRESS = 2;

/** The region of a finding's Security Hub (its product ARN's). */
const regionOf = (finding: FindingRef) => finding.productArn.split(':')[3] ?? '';

/**
 * Writes lockdown's notes on Security Hub findings, in each finding's region: BatchUpdateFindings
 * (ASFF), or on the new Security Hub's OCSF findings BatchUpdateFindingsV2 (a comment and the
 * status). A refused call throws (the invocation is retried); findings Security Hub could not
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
      [...byRegion].flatMap(([region, findings]) => {
        const client = this.clients.get(region) ?? this.clientFor(region);
        this.clients.set(region, client);
        const asff = findings.filter((f) => !isOcsfRef(f));
        const ocsf = findings.filter(isOcsfRef);
        return [
          ...(asff.length > 0 ? [this.asff(client, asff, text, note.workflow)] : []),
          ...(ocsf.length > 0 ? [this.ocsf(client, ocsf, text, note.workflow)] : []),
        ];
      }),
    );
    return answers.flat();
  }

  /** Security Hub CSPM's findings (ASFF): by Id and ProductArn, a note and the workflow status. */
  private async asff(client: SecurityHubClient, findings: FindingRef[], text: string, workflow?: 'NOTIFIED'): Promise<Unprocessed[]> {
    const { UnprocessedFindings = [] } = await client.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: findings.map((f) => ({ Id: f.id, ProductArn: f.productArn })),
        Note: { Text: text, UpdatedBy: 'lockdown' },
        ...(workflow ? { Workflow: { Status: workflow } } : {}),
      }),
    );
    return UnprocessedFindings.map((u) => ({
      finding: { id: u.FindingIdentifier?.Id ?? '', productArn: u.FindingIdentifier?.ProductArn ?? '' },
      reason: `${u.ErrorCode ?? 'error'}: ${u.ErrorMessage ?? 'not updated'}`,
    }));
  }

  /** The new Security Hub's findings (OCSF): by metadata.uid, a comment and the status (BatchUpdateFindingsV2). */
  private async ocsf(client: SecurityHubClient, findings: FindingRef[], text: string, workflow?: 'NOTIFIED'): Promise<Unprocessed[]> {
    const { UnprocessedFindings = [] } = await client.send(
      new BatchUpdateFindingsV2Command({
        MetadataUids: findings.map((f) => f.id),
        Comment: text,
        ...(workflow ? { StatusId: OCSF_IN_PROGRESS } : {}),
      }),
    );
    return UnprocessedFindings.map((u) => ({
      finding: findings.find((f) => f.id === u.MetadataUid) ?? { id: u.MetadataUid ?? '', productArn: '' },
      reason: `${u.ErrorCode ?? 'error'}: ${u.ErrorMessage ?? 'not updated'}`,
    }));
  }
}
