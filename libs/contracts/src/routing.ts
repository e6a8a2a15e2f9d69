import { ENTITY_TYPES, EntityType } from './entity';

/** The single routing table: which service contains which entity type (one row per type). */
export const ROUTING = Object.freeze({
  'iam-user': 'iam-lockdown',
  'iam-role': 'iam-lockdown',
  'iam-role-session': 'iam-lockdown',
  'lambda-function': 'lambda-lockdown',
  'ec2-instance': 'ec2-isolation',
  's3-bucket': 's3-lockdown',
} as const satisfies Record<EntityType, string>);

/** The services that contain entities, one SQS queue and one Lambda function each. */
export type ServiceName = (typeof ROUTING)[EntityType];
export const SERVICES: readonly ServiceName[] = [...new Set(Object.values(ROUTING))];

/** The name of the dispatch message attribute the filter policies match on. */
export const ENTITY_TYPE_ATTRIBUTE = 'entityType';

export function serviceFor(type: EntityType): ServiceName {
  return ROUTING[type];
}

export function entityTypesOf(service: ServiceName): EntityType[] {
  return ENTITY_TYPES.filter((type) => ROUTING[type] === service);
}

/** The SNS subscription filter policy (MessageAttributes scope) for a service's queue. */
export function filterPolicyFor(service: ServiceName): Record<string, string[]> {
  return { [ENTITY_TYPE_ATTRIBUTE]: entityTypesOf(service) };
}
