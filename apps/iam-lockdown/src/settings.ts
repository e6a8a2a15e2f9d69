import { _default, boolean, object } from 'zod/mini';

// The operator settings this service reads (cdk.json keys, each with its validation and default),
// declared, parsed and validated here only: the descriptor shows them to the stacks (which set them as
// environment variables), the handler gets them parsed from serviceWiring.
export const service = {
  name: 'iam-lockdown' as const,
  settings: object({
    /** Also deny a role's sessions issued before containment (kept on release: stolen sessions stay dead). */
    revokeRoleSessions: _default(boolean(), false),
    /** Also delete a contained user's console password (off by default: a release cannot restore it). */
    deleteLoginProfile: _default(boolean(), false),
  }),
};
