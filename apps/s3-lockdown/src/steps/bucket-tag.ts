import { awsErrorCategory, awsErrorName } from '@lockdown/containment';
import { CONTAINMENT_TAG } from '@lockdown/contracts';
import type { ObservedBucket } from '../domain/observed';
import * as kinds from '../domain/step-kinds';
import type { BucketContext } from './context';

export const bucketTag = kinds.bucketTag.implement<BucketContext, ObservedBucket>({
  apply: ({ api }, p) => api.putTags(p.tags),
  undo: ({ api }, _p, step) => (step.original === null ? api.deleteTags() : api.putTags(step.original as Record<string, string>)),
  inEffect: (state, p) => state.tags?.[CONTAINMENT_TAG] === p.tags[CONTAINMENT_TAG],
  // The tag marks the bucket; the deny contains it. A bucket with attribute-based access control
  // enabled refuses PutBucketTagging (it takes S3 Control's TagResource): the containment holds untagged.
  skipReason: (error) =>
    awsErrorCategory(error) === 'invalid'
      ? `S3 refused the tag set (${awsErrorName(error)}; a bucket with ABAC enabled takes its tags through TagResource only): the bucket is contained, untagged`
      : undefined,
});
