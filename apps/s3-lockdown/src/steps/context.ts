import type { BucketApi } from '../adapters/bucket-api';

/** What the steps act with. */
export interface BucketContext {
  api: BucketApi;
}
