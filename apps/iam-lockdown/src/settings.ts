import { _default, boolean, object } from 'zod/mini';

// The operator settings this service reads (cdk.json keys, each with its validation and default).
// Declared, parsed and validated here only: the descriptor shows them to the stacks, the handler gets
// them parsed from serviceWiring (this module imports nothing of the service: no import circle).
export const service = {
  name: 'iam-lockdown' as const,
  settings: object({
    /** Also deny a role's sessions issued before containment (kept on release: stolen sessions stay dead). */
    revokeRoleSessions: _default(boolean(), false),
    /** Also delete a contained user's console password (off by default: a release cannot restore it). */
    deleteLoginProfile: _default(boolean(), false),
  }),
};
