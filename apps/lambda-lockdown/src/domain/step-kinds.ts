import { declareStepKind, roleStepKinds } from '@lockdown/containment';
import { object, string } from 'zod/mini';

/** The kinds of step a Lambda function's plan is made of: each one's name and params (implemented in steps/, one per file). */
export const kinds = {
  ...roleStepKinds,
  /** Reserved concurrency 0: the function cannot run; release restores the previous value or none. */
  concurrency: declareStepKind('concurrency', object({ functionArn: string() })),
  /** An enabled event source mapping disabled; release enables exactly this one again. */
  eventSourceMapping: declareStepKind('event-source-mapping', object({ uuid: string() })),
  /** The containment tag on the function (the organization guard keys on it); release restores the previous value. */
  functionTag: declareStepKind('function-tag', object({ key: string(), value: string() })),
  /**
   * The containment tag on one event source mapping lockdown disables (the organization guard
   * freezes tagged mappings: AWS authorizes UpdateEventSourceMapping on the mapping, not the
   * function); release removes it.
   */
  mappingTag: declareStepKind('mapping-tag', object({ mappingArn: string(), key: string(), value: string() })),
  /** Whole-role mode: AWSDenyAll on the execution role (every function using it is denied). */
  roleManagedPolicy: declareStepKind('role-managed-policy', object({ roleName: string(), policyArn: string() })),
};
