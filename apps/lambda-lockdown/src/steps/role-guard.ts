import { roleGuardKind } from '@lockdown/aws';
import type { FunctionContext } from './context';
import type { ObservedFunction } from '../domain/observed';

/** The execution role marked for the organization guard while it carries the function's deny. */
export const roleGuard = roleGuardKind<FunctionContext, ObservedFunction>({ policies: ({ api }) => api.rolePolicies });
