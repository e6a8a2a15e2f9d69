import { _default, enum as zEnum, object } from 'zod/mini';
import type { ServiceDescriptor } from '@lockdown/aws';
import type * as Runtime from './runtime';

const settings = object({
  /** `targeted`: a deny for this function's credentials only; `whole-role` also attaches AWSDenyAll to the role. */
  lambdaRoleMode: _default(zEnum(['targeted', 'whole-role']), 'targeted'),
});

/** lambda-lockdown as the stacks, the CLI, the drill and the bench see it. */
export const descriptor = {
  name: 'lambda-lockdown',
  summary: "stops Lambda functions (concurrency 0, event sources off) and denies their execution role's credentials",
  // Lambda's control plane allows 15 requests/s and a containment makes 2-4 writes.
  concurrency: { batchSize: 5, maximumConcurrency: 2 },
  settings,
  observe: {
    'lambda-function': [
      'lambda:GetFunctionConfiguration',
      'lambda:GetFunctionConcurrency',
      'lambda:ListEventSourceMappings',
      'lambda:ListTags',
    ],
  },
  // Loaded only by what runs the service: the stacks read this file without the SDK.
  runtime: () => require('./runtime') as typeof Runtime,
} satisfies ServiceDescriptor<typeof settings, 'lambda-lockdown'>;
