import { defineStepKind } from '@lockdown/containment';
import { object, string } from 'zod/mini';
import type { BucketContext } from '../adapters/s3-containment';
import type { ObservedBucket } from '../domain/observed';
import { hasDeny } from '../domain/plan';

/** Lockdown's deny in the bucket policy; release puts the original policy back whole (or deletes it when there was none). */
export const bucketPolicy = defineStepKind<BucketContext, ObservedBucket, { bucket: string; document: string }>({
  kind: 'bucket-policy',
  params: object({ bucket: string(), document: string() }),
  apply: ({ api }, p) => api.putPolicy(p.document),
  undo: ({ api }, _p, step) => (step.original === null ? api.deletePolicy() : api.putPolicy(String(step.original))),
  inEffect: (state) => hasDeny(state.policy),
});
