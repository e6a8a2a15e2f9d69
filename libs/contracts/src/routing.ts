import { ENTITY_TYPES, EntityRef, EntityType } from './entity';

/** The single routing table: which service contains which entity type (one row per type). */
export const ROUTING = Object.freeze({
  'iam-user': 'iam-lockdown',
  'iam-role': 'iam-lockdown',
  'iam-role-session': 'iam-lockdown',
  'lambda-function': 'lambda-lockdown',
  'ec2-instance': 'ec2-isolation',
  's3-bucket': 's3-lockdown',
  'identity-center-user': 'identity-center-lockdown',
} as const satisfies Record<EntityType, string>);

/** The services that contain entities, one SQS queue and one Lambda function each. */
export type ServiceName = (typeof ROUTING)[EntityType];
export const SERVICES: readonly ServiceName[] = [...new Set(Object.values(ROUTING))];

/** The name of the dispatch message attribute the filter policies match on. */
export const ENTITY_TYPE_ATTRIBUTE = 'entityType';

export function serviceFor(type: EntityType): ServiceName {
  return ROUTING[type];
}

/** The entity types a service contains, as a type (the routing table's rows for it). */
export type EntityTypeOf<S extends ServiceName> = { [T in EntityType]: (typeof ROUTING)[T] extends S ? T : never }[EntityType];
/** The entity references a service contains: what its use case and its example plan take. */
export type EntityOf<S extends ServiceName> = Extract<EntityRef, { type: EntityTypeOf<S> }>;

/** Whether the routing table gives this entity to this service: the one place an entity is narrowed to a service's types. */
export function isOwnedBy<S extends ServiceName>(entity: EntityRef, service: S): entity is EntityOf<S> {
  return ROUTING[entity.type] === service;
}

export function entityTypesOf(service: ServiceName): EntityType[] {
  return ENTITY_TYPES.filter((type) => ROUTING[type] === service);
}

/** The SNS subscription filter policy (MessageAttributes scope) for a service's queue. */
export function filterPolicyFor(service: ServiceName): Record<string, string[]> {
  return { [ENTITY_TYPE_ATTRIBUTE]: entityTypesOf(service) };
}
