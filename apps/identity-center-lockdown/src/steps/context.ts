import type { IdentityCenterApi } from '../adapters/identity-center-api';

/**
 * What the steps act with: the Identity Center calls, and the permission sets the recorded steps
 * deny (recalled before verify and each tamper-watch tick, so the observation reads them even once the
 * user reaches none). Its own module, imported by each step and by the adapter.
 */
export interface IdentityCenterContext {
  api: IdentityCenterApi;
  recalledPermissionSets: Set<string>;
}
