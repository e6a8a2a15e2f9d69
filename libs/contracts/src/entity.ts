import { boolean, discriminatedUnion, enum as zEnum, literal, minLength, object, optional, regex, startsWith, string } from 'zod/mini';
import type { z } from 'zod/mini';

/** The AWS partitions lockdown supports. */
export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const;
export type Partition = (typeof PARTITIONS)[number];

const nonEmpty = () => string().check(minLength(1));

/** What every entity reference carries; `arn` is the ARN containment targets and the ledger key. */
const base = {
  /** The ARN containment targets (for a Lambda function: without its qualifier). Ledger key. */
  arn: nonEmpty(),
  /** The ARN exactly as it was requested. */
  requestedArn: nonEmpty(),
  partition: zEnum(PARTITIONS),
  accountId: string().check(regex(/^\d{12}$/)),
  name: nonEmpty(),
};

export const IamUserRefSchema = object({ type: literal('iam-user'), ...base, path: string().check(startsWith('/')) });
/** Roles under /aws-service-role/ (`serviceLinked`) are owned by an AWS service and cannot be modified. */
export const IamRoleRefSchema = object({
  type: literal('iam-role'),
  ...base,
  path: string().check(startsWith('/')),
  serviceLinked: boolean(),
});
/** `qualifier`: the version or alias of the requested ARN; containment always targets the whole function. */
export const LambdaFunctionRefSchema = object({
  type: literal('lambda-function'),
  ...base,
  region: nonEmpty(),
  qualifier: optional(string()),
});
/** `instanceId` is the same as `name`. */
export const Ec2InstanceRefSchema = object({ type: literal('ec2-instance'), ...base, region: nonEmpty(), instanceId: nonEmpty() });

/**
 * One session of a role (an assumed-role ARN, e.g. stolen temporary credentials): only that session
 * is denied, the role's other sessions keep working. `name` is `<role>/<session>`; assumed-role
 * ARNs carry no role path, so `serviceLinked` is read from the role's name (AWSServiceRoleFor...).
 */
export const IamRoleSessionRefSchema = object({
  type: literal('iam-role-session'),
  ...base,
  roleName: nonEmpty(),
  sessionName: nonEmpty(),
  serviceLinked: boolean(),
});

/** `name` is the bucket's name; `accountId` the owner the request names (S3 ARNs carry none); the service finds the region. */
export const S3BucketRefSchema = object({ type: literal('s3-bucket'), ...base });

/**
 * An IAM Identity Center user, named as AWS's Service Authorization Reference names the Identity Store's
 * `user` resource type: `arn:<partition>:identitystore:::user/<user id>`. That ARN carries no account
 * and no region: `accountId` is the Identity Center account (the organization's management account or
 * its delegated administrator) and `region` the instance's home region, both from the request
 * (attributes AccountId and Region). `name` is the user id.
 */
export const IdentityCenterUserRefSchema = object({
  type: literal('identity-center-user'),
  ...base,
  region: nonEmpty(),
  userId: nonEmpty(),
});

/** The one definition of the entity types: the schemas; the types and the list derive from them. */
export const EntityRefSchema = discriminatedUnion('type', [
  IamUserRefSchema,
  IamRoleRefSchema,
  LambdaFunctionRefSchema,
  Ec2InstanceRefSchema,
  S3BucketRefSchema,
  IamRoleSessionRefSchema,
  IdentityCenterUserRefSchema,
]);

export type IamUserRef = z.infer<typeof IamUserRefSchema>;
export type IamRoleRef = z.infer<typeof IamRoleRefSchema>;
export type LambdaFunctionRef = z.infer<typeof LambdaFunctionRefSchema>;
export type Ec2InstanceRef = z.infer<typeof Ec2InstanceRefSchema>;
export type S3BucketRef = z.infer<typeof S3BucketRefSchema>;
export type IamRoleSessionRef = z.infer<typeof IamRoleSessionRefSchema>;
export type IdentityCenterUserRef = z.infer<typeof IdentityCenterUserRefSchema>;
export type EntityRef = z.infer<typeof EntityRefSchema>;
export type EntityType = EntityRef['type'];

/** The entity types lockdown can contain, in the order of the schemas. */
export const ENTITY_TYPES = EntityRefSchema.def.options.map((option) => option.shape.type.def.values[0]) as [EntityType, ...EntityType[]];

/**
 * Region the entity's API calls go to: IAM is global and answers in its partition's home region;
 * an S3 bucket's region is found there too (GetBucketLocation), then its calls go to that region.
 */
export function apiRegionOf(entity: EntityRef): string {
  if (entity.type === 'iam-user' || entity.type === 'iam-role' || entity.type === 'iam-role-session' || entity.type === 's3-bucket')
    return globalRegionOf(entity.partition);
  return entity.region;
}

export function globalRegionOf(partition: Partition): string {
  switch (partition) {
    case 'aws-cn':
      return 'cn-north-1';
    case 'aws-us-gov':
      return 'us-gov-west-1';
    default:
      return 'us-east-1';
  }
}
