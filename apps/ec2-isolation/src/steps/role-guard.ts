import { roleGuardKind } from '@lockdown/aws';
import type { InstanceContext } from './context';
import type { ObservedInstance } from '../domain/observed';

/** Each instance-profile role marked for the organization guard while it carries the instance's deny. */
export const roleGuard = roleGuardKind<InstanceContext, ObservedInstance>({ policies: ({ api }) => api.rolePolicies });
