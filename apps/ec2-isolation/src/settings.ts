import { _default, boolean, gte, int, lte, number, object } from 'zod/mini';

// The operator settings this service reads (cdk.json keys, each with its validation and default),
// declared, parsed and validated here only: the descriptor shows them to the stacks (which set them as
// environment variables), the handler gets them parsed from serviceWiring.
export const service = {
  name: 'ec2-isolation' as const,
  settings: object({
    /** Seconds tracked connections may still live before phase 2 drops them (0: isolate at once; at most SQS's 900 s delay). */
    untrackedWindowSeconds: _default(number().check(int(), gte(0), lte(900)), 60),
    /** Snapshot every attached volume for forensics (kept on release). */
    snapshotVolumes: _default(boolean(), false),
    /** Detach the instance from its Auto Scaling group (so it is not replaced and terminated). */
    detachAutoScaling: _default(boolean(), false),
    /** Deregister the instance from its load balancers' target groups. */
    deregisterTargets: _default(boolean(), false),
  }),
};
