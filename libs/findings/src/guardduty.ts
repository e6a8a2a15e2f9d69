import { array, boolean, looseObject, number, optional, string, unknown } from 'zod/mini';
import type { z } from 'zod/mini';
import type { FindingRef } from '@lockdown/contracts';
import { SequenceSchema, sequenceEntities } from './attack-sequence';
import { FindingEntities, accessKeyEntity, entityOf, mergeEntities } from './entities-of-finding';

/**
 * The parts of a GuardDuty finding lockdown reads, as EventBridge delivers it (detail-type
 * `GuardDuty Finding`, camelCase keys; AWS's GuardDuty finding format). Other fields pass through.
 */
export const GuardDutyFindingSchema = looseObject({
  accountId: string(),
  region: string(),
  partition: string(),
  id: string(),
  arn: string(),
  type: string(),
  severity: number(),
  title: optional(string()),
  resource: looseObject({
    resourceType: string(),
    accessKeyDetails: optional(
      looseObject({
        accessKeyId: optional(string()),
        principalId: optional(string()),
        userName: optional(string()),
        userType: optional(string()),
      }),
    ),
    instanceDetails: optional(looseObject({ instanceId: optional(string()) })),
    lambdaDetails: optional(looseObject({ functionArn: optional(string()) })),
    s3BucketDetails: optional(array(looseObject({ arn: optional(string()), name: optional(string()) }))),
  }),
  service: optional(
    looseObject({
      archived: optional(boolean()),
      /** When GuardDuty first saw the activity (read leniently: `firstSeenOf`). */
      eventFirstSeen: optional(unknown()),
      detection: optional(looseObject({ sequence: optional(SequenceSchema) })),
    }),
  ),
});
export type GuardDutyFinding = z.infer<typeof GuardDutyFindingSchema>;

/**
 * The resource types of GuardDuty findings lockdown can act on (the EventBridge rule matches only these).
 * An attack sequence's is `AttackSequence` (its resources and actors are in `service.detection.sequence`):
 * panther-labs/panther-analysis, rules/aws_guardduty_rules/aws_guardduty_critical_sev_findings (test "Critical Sev Finding").
 */
export const GUARDDUTY_RESOURCE_TYPES = ['AccessKey', 'Instance', 'Lambda', 'S3Bucket', 'AttackSequence'] as const;

/** What a GuardDuty finding names: an access key's user or role session, an instance, a function, buckets. */
export function guardDutyEntities(finding: GuardDutyFinding): FindingEntities {
  const { resource, partition, accountId, region } = finding;
  switch (resource.resourceType) {
    case 'AccessKey':
      return accessKeyEntity(
        {
          type: resource.accessKeyDetails?.userType,
          name: resource.accessKeyDetails?.userName,
          principalId: resource.accessKeyDetails?.principalId,
        },
        partition,
        accountId,
      );
    case 'Instance':
      return resource.instanceDetails?.instanceId
        ? entityOf(`arn:${partition}:ec2:${region}:${accountId}:instance/${resource.instanceDetails.instanceId}`)
        : { entities: [], unsupported: ['an instance finding without an instance id'] };
    case 'Lambda':
      return resource.lambdaDetails?.functionArn
        ? entityOf(resource.lambdaDetails.functionArn)
        : { entities: [], unsupported: ['a Lambda finding without a function ARN'] };
    case 'S3Bucket':
      return mergeEntities(
        (resource.s3BucketDetails ?? []).map((b) => entityOf(b.arn ?? `arn:${partition}:s3:::${b.name ?? ''}`, accountId)),
      );
    case 'AttackSequence':
      return sequenceEntities(finding.type, finding.service?.detection?.sequence, { partition, accountId, region });
    default:
      return {
        entities: [],
        unsupported: [`a ${resource.resourceType} resource (lockdown contains ${GUARDDUTY_RESOURCE_TYPES.join(', ')})`],
      };
  }
}

/** The finding's identity in Security Hub, where lockdown writes its notes (GuardDuty sends every finding there). */
export const guardDutyRef = (finding: GuardDutyFinding): FindingRef => ({
  id: finding.arn,
  productArn: `arn:${finding.partition}:securityhub:${finding.region}::product/aws/guardduty`,
});
