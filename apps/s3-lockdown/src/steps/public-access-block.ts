import { defineStepKind } from '@lockdown/containment';
import { object, string } from 'zod/mini';
import type { BucketContext } from '../adapters/s3-containment';
import type { ObservedBucket, PublicAccessBlock } from '../domain/observed';
import { ALL_BLOCKED, allBlocked } from '../domain/plan';

/** Every Block Public Access setting on; release restores the previous settings, or none. */
export const publicAccessBlock = defineStepKind<BucketContext, ObservedBucket, { bucket: string }>({
  kind: 'public-access-block',
  params: object({ bucket: string() }),
  apply: ({ api }) => api.putPublicAccessBlock(ALL_BLOCKED),
  undo: ({ api }, _p, step) =>
    step.original === null ? api.deletePublicAccessBlock() : api.putPublicAccessBlock(step.original as unknown as PublicAccessBlock),
  inEffect: (state) => allBlocked(state.publicAccessBlock),
});
