import type { S3Client } from '@aws-sdk/client-s3';
import { Executor, LedgerPort, Outcome } from '@lockdown/containment';
import { ServiceMessage, globalRegionOf } from '@lockdown/contracts';
import { runPlan } from '@lockdown/aws';
import { BucketApi } from './adapters/bucket-api';
import { s3ContainmentAdapter } from './adapters/s3-containment';

type S3Message = ServiceMessage<'s3-lockdown'>;

export interface S3LockdownDeps {
  /** An S3 client in this region, signed as the member role of the message's account. */
  s3For(message: S3Message, region: string): S3Client;
  ledger: LedgerPort;
  /** The member role's name: its ARN in the bucket's account keeps access (release needs it). */
  memberRoleName: string;
  /** Principals that keep access to a contained bucket (break-glass). */
  breakGlassPrincipals: string[];
  now?: () => Date;
}

/** Contains or releases one S3 bucket. */
export function s3Lockdown(deps: S3LockdownDeps) {
  return async (message: S3Message): Promise<Outcome> => {
    const entity = message.entity;
    const memberRole = `arn:${entity.partition}:iam::${entity.accountId}:role/${deps.memberRoleName}`;
    const adapter = s3ContainmentAdapter(entity, { requestId: message.requestId, exempt: [memberRole, ...deps.breakGlassPrincipals] });
    const api = new BucketApi((region) => deps.s3For(message, region), entity.name, entity.accountId, globalRegionOf(entity.partition));
    return runPlan(new Executor(adapter, deps.ledger, deps.now), { api }, message);
  };
}
