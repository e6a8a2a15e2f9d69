/**
 * What the steps act with: the SDK clients of the entity's service (built from clientConfig). Its
 * own module, imported by each step and by the adapter: a step never imports the adapter.
 */
export interface IdentityCenterLockdownContext {
  clientConfig: object;
}
