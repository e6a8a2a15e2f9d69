import { array, looseObject, optional, string, unknown } from 'zod/mini';
import type { z } from 'zod/mini';
import type { FindingRef } from '@lockdown/contracts';
import { actorEntity } from './attack-sequence';
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
 * A GuardDuty attack sequence's actors in ASFF (`Detection.Sequence.Actors`: Security Hub API
 * `Sequence`, `Actor`, `ActorUser`, `ActorSession`: https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_Actor.html).
 */
const AsffActorSchema = looseObject({
  Id: optional(string()),
  User: optional(
    looseObject({
      Name: optional(string()),
      Uid: optional(string()),
      Type: optional(string()),
      Account: optional(looseObject({ Uid: optional(string()) })),
    }),
  ),
  Session: optional(looseObject({ Uid: optional(string()) })),
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
  /** When the product first observed the issue (read leniently: `firstSeenOf`). */
  FirstObservedAt: optional(unknown()),
  Resources: array(AsffResourceSchema),
  Detection: optional(looseObject({ Sequence: optional(looseObject({ Actors: optional(array(AsffActorSchema)) })) })),
});
export type AsffFinding = z.infer<typeof AsffFindingSchema>;

/**
 * What an ASFF finding names: every resource whose Id is the ARN of an entity lockdown supports
 * (AwsIamUser, AwsIamRole, AwsLambdaFunction, AwsEc2Instance, AwsS3Bucket with the finding's
 * account), an AwsIamAccessKey's user or role session, and an attack sequence's actors.
 */
export function asffEntities(finding: AsffFinding): FindingEntities {
  // An attack sequence's actors are the credentials it names, beside its resources.
  const actors = (finding.Detection?.Sequence?.Actors ?? []).map(({ Id, User, Session }) =>
    actorEntity(
      {
        ...(Id ? { id: Id } : {}),
        ...(User ? { user: { name: User.Name, uid: User.Uid, type: User.Type, account: { uid: User.Account?.Uid } } } : {}),
        ...(Session ? { session: { uid: Session.Uid } } : {}),
      },
      { partition: finding.Resources[0]?.Partition ?? 'aws', accountId: finding.AwsAccountId },
    ),
  );
  return mergeEntities([
    ...actors,
    ...finding.Resources.map((resource) => {
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
  ]);
}

export const asffRef = (finding: AsffFinding): FindingRef => ({ id: finding.Id, productArn: finding.ProductArn });
