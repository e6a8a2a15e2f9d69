import { _default, array, object, regex, string } from 'zod/mini';

// The operator settings this service reads (cdk.json keys, each with its validation and default),
// declared, parsed and validated here only: the descriptor shows them to the stacks (which set them as
// environment variables), the handler gets them parsed from serviceWiring.
export const service = {
  name: 's3-lockdown' as const,
  settings: object({
    /** Principals that keep access to a contained bucket (break-glass), besides lockdown's member role. */
    s3BreakGlassPrincipals: _default(
      array(string().check(regex(/^arn:aws[\w-]*:(iam|sts)::\d{12}:\S+$/, { error: 's3BreakGlassPrincipals must be IAM principal ARNs' }))),
      [],
    ),
  }),
};
