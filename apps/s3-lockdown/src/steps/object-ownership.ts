import { isAclBlockingOwnerEnforced } from '@lockdown/containment';
import type { ObservedBucket } from '../domain/observed';
import { OWNER_ENFORCED } from '../domain/plan';
import * as kinds from '../domain/step-kinds';
import type { BucketContext } from './context';

export const objectOwnership = kinds.objectOwnership.implement<BucketContext, ObservedBucket>({
  apply: ({ api }) => api.putOwnership(OWNER_ENFORCED),
  undo: ({ api }, _p, step) => (step.original === null ? api.deleteOwnership() : api.putOwnership(String(step.original))),
  inEffect: (state) => state.ownership === OWNER_ENFORCED,
  // S3 refuses to turn ACLs off while the bucket ACL grants access beyond the owner; the deny still holds.
  skipReason: (error) =>
    isAclBlockingOwnerEnforced(error)
      ? "the bucket ACL grants access beyond its owner, so S3 keeps ACLs on (the deny statement covers every principal's access anyway)"
      : undefined,
});
