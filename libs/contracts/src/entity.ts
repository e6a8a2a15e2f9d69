/** The AWS partitions lockdown supports. */
export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const;
export type Partition = (typeof PARTITIONS)[number];

/** The entity types lockdown can contain. */
export const ENTITY_TYPES = ['iam-user', 'iam-role', 'lambda-function', 'ec2-instance'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

interface EntityBase {
  /** The ARN containment targets (for a Lambda function: without its qualifier). Ledger key. */
  arn: string;
  /** The ARN exactly as it was requested. */
  requestedArn: string;
  partition: Partition;
  accountId: string;
  name: string;
}

export interface IamUserRef extends EntityBase {
  type: 'iam-user';
  path: string;
}

export interface IamRoleRef extends EntityBase {
  type: 'iam-role';
  path: string;
  /** Roles under /aws-service-role/ are owned by an AWS service and cannot be modified. */
  serviceLinked: boolean;
}

export interface LambdaFunctionRef extends EntityBase {
  type: 'lambda-function';
  region: string;
  /** Version or alias from the requested ARN; containment always targets the whole function. */
  qualifier?: string;
}

export interface Ec2InstanceRef extends EntityBase {
  type: 'ec2-instance';
  region: string;
  /** Same as `name`: the instance id. */
  instanceId: string;
}

export type EntityRef = IamUserRef | IamRoleRef | LambdaFunctionRef | Ec2InstanceRef;

/** Region the entity's API calls go to; IAM is global and answers in its partition's home region. */
export function apiRegionOf(entity: EntityRef): string {
  if (entity.type === 'iam-user' || entity.type === 'iam-role') return globalRegionOf(entity.partition);
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
