import { EntityRef, parseEntityArn } from '@lockdown/contracts';

/** What a finding names: the entities lockdown supports, and a reason for each resource it does not. */
export interface FindingEntities {
  entities: EntityRef[];
  unsupported: string[];
}

/** Access-key owners GuardDuty and Security Hub name (GuardDuty's `userType`, ASFF's `PrincipalType`). */
export interface AccessKeyOwner {
  type: string | undefined;
  /** The user's name, or for an assumed role the role's name. */
  name: string | undefined;
  /** For an assumed role: `<role id>:<session name>`. */
  principalId: string | undefined;
}

/**
 * The entity an access key belongs to: an IAM user, or for temporary credentials of an assumed
 * role that one session (`arn:<p>:sts::<account>:assumed-role/<role>/<session>`), never the whole role.
 */
export function accessKeyEntity(owner: AccessKeyOwner, partition: string, accountId: string): FindingEntities {
  const session = owner.principalId?.includes(':') ? owner.principalId.slice(owner.principalId.indexOf(':') + 1) : undefined;
  const arn =
    owner.type === 'IAMUser' && owner.name
      ? `arn:${partition}:iam::${accountId}:user/${owner.name}`
      : owner.type === 'AssumedRole' && owner.name && session
        ? `arn:${partition}:sts::${accountId}:assumed-role/${owner.name}/${session}`
        : undefined;
  if (!arn)
    return {
      entities: [],
      unsupported: [`an access key of a ${owner.type ?? 'principal of unknown type'} (lockdown contains IAM users and role sessions)`],
    };
  return entityOf(arn);
}

/** One ARN as lockdown's intake will parse it (an S3 bucket's owner given apart). */
export function entityOf(arn: string, accountId?: string): FindingEntities {
  const parsed = parseEntityArn(arn, accountId === undefined ? {} : { accountId });
  return parsed.ok ? { entities: [parsed.entity], unsupported: [] } : { entities: [], unsupported: [`${arn}: ${parsed.error.message}`] };
}

export const mergeEntities = (parts: FindingEntities[]): FindingEntities => ({
  entities: [...new Map(parts.flatMap((p) => p.entities).map((e) => [e.arn, e])).values()],
  unsupported: parts.flatMap((p) => p.unsupported),
});
