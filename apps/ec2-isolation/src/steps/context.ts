import type { InstanceApi } from '../adapters/instance-api';
import type { SecurityGroups } from '../adapters/security-groups';

/** What the steps act with: the APIs, lockdown's security groups, and what an earlier observation taught (the roles). */
export interface InstanceContext {
  api: InstanceApi;
  groups: SecurityGroups;
  knownRoles?: string[];
}
