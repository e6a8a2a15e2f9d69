import { ENTITY_TYPES, EntityType } from './entity';

/** The services that contain entities, one SQS queue and one Lambda function each. */
export const SERVICES = ['iam-lockdown', 'lambda-lockdown', 'ec2-isolation'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The single routing table: which service contains which entity type. */
export const ROUTING: Readonly<Record<EntityType, ServiceName>> = Object.freeze({
  'iam-user': 'iam-lockdown',
  'iam-role': 'iam-lockdown',
  'lambda-function': 'lambda-lockdown',
  'ec2-instance': 'ec2-isolation',
});

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
