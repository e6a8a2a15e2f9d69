import type { ServiceDescriptor } from '@lockdown/aws';
import { service } from './settings';
import type * as Runtime from './runtime';

/** identity-center-lockdown as the stacks, the CLI, the drill and the bench see it. */
export const descriptor = {
  ...service,
  summary: 'contains identity-center-user entities',
  // Within the rate limits of the APIs the service calls.
  concurrency: { batchSize: 5, maximumConcurrency: 2 },
  // What observe() reads (the registry's test requires at least one call per entity type).
  observe: { 'identity-center-user': [] },
  // The member-role statements for exactly the calls the steps make (the infra tests compare them with the code).
  memberStatements: () => [],
  runtime: () => require('./runtime') as typeof Runtime,
} satisfies ServiceDescriptor<typeof service.settings, 'identity-center-lockdown'>;
