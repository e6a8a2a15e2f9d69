import type { ServiceMessage, ServiceName } from '@lockdown/contracts';
import { LedgerPort, awsErrorName, credentialRolesOf, isNotFound } from '@lockdown/containment';

/** Reads the roles a function's or an instance's credentials are sessions of (its service's adapter, with the member role). */
export type CredentialRoles<S extends ServiceName = ServiceName> = (message: ServiceMessage<S>) => Promise<string[]>;

/** The roles a function's or an instance's sweep matches its sessions against, and what the report says of them. */
export interface SweptRoles {
  roles: string[];
  notes: string[];
}

/**
 * The roles whose sessions named after a contained function or instance are its credentials: the
 * ones its containment recorded (its ledger record's credential denies) and its current ones. A
 * second principal can replace the instance profile or the execution role, or terminate the
 * instance, but not the record: the attacker's sessions stay matched. With no role known at all,
 * the session name alone is matched, and the report says so.
 */
export async function sweptRolesOf(
  message: ServiceMessage<ServiceName>,
  ledger: Pick<LedgerPort, 'get'> | undefined,
  credentialRoles: CredentialRoles,
): Promise<SweptRoles> {
  const notes: string[] = [];
  const record = await ledger?.get(message.entity.arn);
  const current = await credentialRoles(message).catch((error: unknown) => {
    if (!isNotFound(error)) throw error;
    notes.push(`its roles can no longer be read (${awsErrorName(error)})`);
    return [];
  });
  const roles = [...new Set([...credentialRolesOf(record?.steps ?? []), ...current])];
  if (roles.length === 0) notes.push('no role known: matched by session name only');
  return { roles, notes };
}
