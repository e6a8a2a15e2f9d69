import { defineStepKind } from '@lockdown/containment';
import { object, optional, string } from 'zod/mini';
import type { BucketContext } from '../adapters/s3-containment';
import type { ObservedBucket } from '../domain/observed';
import { DENY_SID, denyOf, hasDeny } from '../domain/plan';

/** Lockdown's deny in the bucket policy; release puts the original policy back whole (or deletes it when there was none). */
export const bucketPolicy = defineStepKind<BucketContext, ObservedBucket, { bucket: string; document: string; sid?: string }>({
  kind: 'bucket-policy',
  // sid: the Sid of lockdown's statement in the document (absent in records made before it could differ).
  params: object({ bucket: string(), document: string(), sid: optional(string()) }),
  apply: ({ api }, p) => api.putPolicy(p.document),
  undo: ({ api }, _p, step) => (step.original === null ? api.deletePolicy() : api.putPolicy(String(step.original))),
  inEffect: (state, p) => hasDeny(state.policy, denyOf(p.document, p.sid ?? DENY_SID)),
});
