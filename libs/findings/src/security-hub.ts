import { array, looseObject, optional, string } from 'zod/mini';
import type { z } from 'zod/mini';
import type { FindingRef } from '@lockdown/contracts';
import { FindingEntities, accessKeyEntity, entityOf, mergeEntities } from './entities-of-finding';

/** An access key's details in ASFF (UserName is deprecated for PrincipalName; AccountId is the key's account). */
export const AsffAccessKeySchema = looseObject({
  AccountId: optional(string()),
  PrincipalType: optional(string()),
  PrincipalName: optional(string()),
  PrincipalId: optional(string()),
  UserName: optional(string()),
});

/** One resource of an ASFF finding. */
export const AsffResourceSchema = looseObject({
  Type: string(),
  Id: string(),
  Partition: optional(string()),
  Region: optional(string()),
  Details: optional(looseObject({ AwsIamAccessKey: optional(AsffAccessKeySchema) })),
});

/**
 * The parts of an AWS Security Finding Format (ASFF) finding lockdown reads. Other fields pass
 * through. The field names are checked against the Security Hub SDK's model (triggers.spec.ts).
 */
export const AsffFindingSchema = looseObject({
  Id: string(),
  ProductArn: string(),
  AwsAccountId: string(),
  Title: optional(string()),
  Region: optional(string()),
  Resources: array(AsffResourceSchema),
});
export type AsffFinding = z.infer<typeof AsffFindingSchema>;

/**
 * What an ASFF finding names: every resource whose Id is the ARN of an entity lockdown supports
 * (AwsIamUser, AwsIamRole, AwsLambdaFunction, AwsEc2Instance, AwsS3Bucket with the finding's
 * account), and an AwsIamAccessKey's user or role session.
 */
export function asffEntities(finding: AsffFinding): FindingEntities {
  return mergeEntities(
    finding.Resources.map((resource) => {
      const partition = resource.Partition ?? 'aws';
      if (resource.Type === 'AwsIamAccessKey') {
        const key = resource.Details?.AwsIamAccessKey;
        return accessKeyEntity(
          {
            type: key?.PrincipalType,
            name: key?.PrincipalName ?? key?.UserName,
            principalId: key?.PrincipalId,
          },
          partition,
          key?.AccountId ?? finding.AwsAccountId,
        );
      }
      if (!resource.Id.startsWith('arn:')) return { entities: [], unsupported: [`${resource.Type} ${resource.Id}: not an ARN`] };
      return entityOf(resource.Id, resource.Type === 'AwsS3Bucket' ? finding.AwsAccountId : undefined);
    }),
  );
}

export const asffRef = (finding: AsffFinding): FindingRef => ({ id: finding.Id, productArn: finding.ProductArn });
