import { defineStepKind, isAclBlockingOwnerEnforced } from '@lockdown/containment';
import { object, string } from 'zod/mini';
import type { BucketContext } from '../adapters/s3-containment';
import type { ObservedBucket } from '../domain/observed';
import { OWNER_ENFORCED } from '../domain/plan';

/** ACLs off (BucketOwnerEnforced); release restores the previous rule, or none. */
export const objectOwnership = defineStepKind<BucketContext, ObservedBucket, { bucket: string }>({
  kind: 'object-ownership',
  params: object({ bucket: string() }),
  apply: ({ api }) => api.putOwnership(OWNER_ENFORCED),
  undo: ({ api }, _p, step) => (step.original === null ? api.deleteOwnership() : api.putOwnership(String(step.original))),
  inEffect: (state) => state.ownership === OWNER_ENFORCED,
  // S3 refuses to turn ACLs off while the bucket ACL grants access beyond the owner; the deny still holds.
  skipReason: (error) =>
    isAclBlockingOwnerEnforced(error)
      ? "the bucket ACL grants access beyond its owner, so S3 keeps ACLs on (the deny statement covers every principal's access anyway)"
      : undefined,
});
