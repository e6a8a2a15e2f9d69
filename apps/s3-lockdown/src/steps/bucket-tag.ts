import { awsErrorCategory, awsErrorName, defineStepKind } from '@lockdown/containment';
import { object, record, string } from 'zod/mini';
import { CONTAINMENT_TAG } from '@lockdown/contracts';
import type { BucketContext } from '../adapters/s3-containment';
import type { ObservedBucket } from '../domain/observed';

/** The containment tag; S3 replaces a bucket's whole tag set, so release puts the previous set back (or none). */
export const bucketTag = defineStepKind<BucketContext, ObservedBucket, { bucket: string; tags: Record<string, string> }>({
  kind: 'bucket-tag',
  params: object({ bucket: string(), tags: record(string(), string()) }),
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
