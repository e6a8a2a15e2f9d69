import { LOCKDOWN_NAME_PREFIX } from './protected';
import type { ServiceName } from './routing';

/** The name of a service's ledger table (`*`: every service's, for a policy's resource pattern); the stacks, the services and the CLI use it. */
export const ledgerTableName = (service: ServiceName | '*') => `${LOCKDOWN_NAME_PREFIX}${service}-ledger`;

/**
 * The ledger table's time-to-live attribute (epoch seconds): DynamoDB deletes an item some time after
 * it. Only the shared API budgets' items carry it (`budget|...`); a ledger record never does.
 */
export const LEDGER_EXPIRY_ATTRIBUTE = 'expiresAt';
