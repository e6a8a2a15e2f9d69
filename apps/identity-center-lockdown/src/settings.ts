import { _default, boolean, object } from 'zod/mini';

// The operator settings this service reads (cdk.json keys, each with its validation and default),
// declared, parsed and validated here only: the descriptor shows them to the stacks (which set them as
// environment variables), the handler gets them parsed from serviceWiring.
export const service = {
  name: 'identity-center-lockdown' as const,
  settings: object({
    /**
     * A release keeps the deny of the user's sessions issued before it (stolen sessions stay dead), as
     * `revokeRoleSessions` keeps a role's; off: the release removes lockdown's statement from the permission sets.
     */
    keepIdentityCenterSessionDeny: _default(boolean(), true),
  }),
};
