import { array, looseObject, optional, string } from 'zod/mini';
import type { z } from 'zod/mini';
import type { FindingRef } from '@lockdown/contracts';
import { FindingEntities, accessKeyEntity, entityOf, mergeEntities } from './entities-of-finding';

/** The parts of an AWS Security Finding Format (ASFF) finding lockdown reads. Other fields pass through. */
export const AsffFindingSchema = looseObject({
  Id: string(),
  ProductArn: string(),
  AwsAccountId: string(),
  Title: optional(string()),
  Region: optional(string()),
  Resources: array(
    looseObject({
      Type: string(),
      Id: string(),
      Partition: optional(string()),
      Region: optional(string()),
      Details: optional(
        looseObject({
          AwsIamAccessKey: optional(
            looseObject({
              PrincipalType: optional(string()),
              PrincipalName: optional(string()),
              PrincipalId: optional(string()),
              UserName: optional(string()),
            }),
          ),
        }),
      ),
    }),
  ),
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
            name: key?.PrincipalType === 'IAMUser' ? (key.UserName ?? key.PrincipalName) : key?.PrincipalName,
            principalId: key?.PrincipalId,
          },
          partition,
          finding.AwsAccountId,
        );
      }
      if (!resource.Id.startsWith('arn:')) return { entities: [], unsupported: [`${resource.Type} ${resource.Id}: not an ARN`] };
      return entityOf(resource.Id, resource.Type === 'AwsS3Bucket' ? finding.AwsAccountId : undefined);
    }),
  );
}

export const asffRef = (finding: AsffFinding): FindingRef => ({ id: finding.Id, productArn: finding.ProductArn });
