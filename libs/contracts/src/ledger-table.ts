import { LOCKDOWN_NAME_PREFIX } from './protected';
import type { ServiceName } from './routing';

/** The name of a service's ledger table (`*`: every service's, for a policy's resource pattern); the stacks, the services and the CLI use it. */
export const ledgerTableName = (service: ServiceName | '*') => `${LOCKDOWN_NAME_PREFIX}${service}-ledger`;
