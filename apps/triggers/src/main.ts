import { createTriggersHandler } from './handler';

/** Lambda entry point: configuration is validated at cold start (a missing setting fails closed). */
export const handler = createTriggersHandler();
